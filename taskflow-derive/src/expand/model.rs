//! `#[derive(TaskflowModel)]`: the `Model` impl, the values builder, the field handles, record
//! decoding and the inherent shortcuts, or stub impls when the struct was refused.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::{DeriveInput, Ident, Visibility};

use crate::ir::Model;

pub(super) fn model_impl(m: &Model<'_>) -> TokenStream {
    let ident = m.ident;
    let vis = m.vis;
    let model_name = &m.model;
    let values_ident = format_ident!("{}Values", ident);
    let fields_ident = format_ident!("{}Fields", ident);
    let root = Ident::new("__TaskflowRoot", Span::call_site());

    let read: Vec<_> = m.fields.iter().filter(|f| f.is_read()).collect();
    let server_names: Vec<&str> = read.iter().map(|f| f.server.as_str()).collect();

    // Field handles.
    let handle_defs = read.iter().map(|f| {
        let (fi, ty, name) = (f.ident, f.ty, &f.server);
        let doc = format!("The `{name}` field, for domains.");
        quote! {
            #[doc = #doc]
            #vis #fi: ::taskflow_sdk::__private::Field<#root, #ty>
        }
    });
    let handle_inits = read.iter().map(|f| {
        let (fi, name) = (f.ident, &f.server);
        quote!(#fi: ::taskflow_sdk::__private::Field::new(prefix, #name))
    });

    // Decoding slots.
    let slot_idents: Vec<Ident> = (0..read.len()).map(|i| format_ident!("__f{}", i)).collect();
    let slot_defs = read.iter().zip(&slot_idents).map(|(f, s)| {
        let ty = f.ty;
        quote_spanned!(ty.span()=> #s: ::core::option::Option<#ty>)
    });
    let slot_arms = read.iter().zip(&slot_idents).enumerate().map(|(i, (f, s))| {
        let name = &f.server;
        if f.is_id() {
            let ty = f.ty;
            quote_spanned!(ty.span()=> #i => ::taskflow_sdk::__private::fill_id::<#ident, #ty, __A>(&mut self.#s, map, ctx))
        } else {
            let ty = f.ty;
            quote_spanned!(ty.span()=> #i => ::taskflow_sdk::__private::fill_field::<#ty, __A>(&mut self.#s, map, ctx, #name))
        }
    });
    let slot_names = read.iter().enumerate().map(|(i, f)| {
        let name = &f.server;
        quote!(#name => ::core::option::Option::Some(#i))
    });
    let finish_fields = m.fields.iter().map(|f| {
        let fi = f.ident;
        let ty = f.ty;
        match read.iter().position(|r| std::ptr::eq(*r, f)) {
            Some(i) => {
                let s = &slot_idents[i];
                let name = &f.server;
                quote_spanned!(ty.span()=> #fi: ::taskflow_sdk::__private::take_field::<#ty, __E>(self.#s, ctx, #name)?)
            }
            None => quote_spanned!(ty.span()=> #fi: <#ty as ::core::default::Default>::default()),
        }
    });

    // Values setters.
    let setters = m.fields.iter().filter(|f| f.is_writable()).map(|f| {
        let (fi, ty, name) = (f.ident, f.ty, &f.server);
        let clear = format_ident!("clear_{}", fi.unraw());
        let doc = format!("Sets `{name}`.");
        let clear_doc = format!("Empties `{name}`: sends `false`.");
        let write_ty =
            quote_spanned!(ty.span()=> <#ty as ::taskflow_sdk::__private::FieldValue>::Write);
        let encode =
            quote_spanned!(ty.span()=> ::taskflow_sdk::__private::write_field::<#ty>(value));
        // Spanned at the field's type, so an unsupported type is reported there, not at the derive.
        quote_spanned! {ty.span()=>
            #[doc = #doc]
            #vis fn #fi(mut self, value: impl ::core::convert::Into<#write_ty>) -> Self {
                self.0.set(#name, #encode);
                self
            }

            #[doc = #clear_doc]
            #vis fn #clear(mut self) -> Self {
                self.0.set(#name, ::taskflow_sdk::__private::WriteValue::clear());
                self
            }
        }
    });

    // Fields without a setter still need a supported type; writable ones are checked by theirs.
    let assertions = read.iter().filter(|f| !f.is_writable()).map(|f| {
        let ty = f.ty;
        quote_spanned!(ty.span()=> ::taskflow_sdk::__private::assert_field::<#ty>();)
    });

    let id_field = m.fields.iter().find(|f| f.is_id());
    let id_expr = match id_field {
        Some(f) => {
            let (fi, ty) = (f.ident, f.ty);
            quote_spanned!(ty.span()=> <#ty as ::taskflow_sdk::__private::RecordId<Self>>::record_id(self.#fi))
        }
        None => quote!(::taskflow_sdk::__private::Id::new(0)),
    };

    let values_doc = format!(
        "Field values for creating or writing `{model_name}` records (see [`{ident}::values`]): \
         only the fields that are set are sent."
    );
    let fields_doc =
        format!("Field handles of `{model_name}` for typed domains (see [`{ident}::fields`]).");
    let raw_doc = format!(
        "Sets any field of `{model_name}` to a raw value, such as one the struct does not \
         declare (`.raw(\"active\", false)`), replacing an earlier value."
    );
    let inherent = inherent_impl(
        ident,
        vis,
        quote!(#values_ident),
        quote!(#values_ident::default()),
        quote!(#fields_ident<#ident>),
        quote!(<#ident as ::taskflow_sdk::__private::Model>::fields_at::<#ident>("")),
        model_name,
    );

    quote! {
        #[doc = #values_doc]
        #[derive(::core::clone::Clone, ::core::fmt::Debug, ::core::default::Default)]
        #[must_use]
        #vis struct #values_ident(::taskflow_sdk::__private::WriteValues<#ident>);

        // A private model need not use every setter.
        #[automatically_derived]
        #[allow(dead_code)]
        impl #values_ident {
            #(#setters)*

            #[doc = #raw_doc]
            #vis fn raw(
                self,
                field: &::core::primitive::str,
                value: impl ::core::convert::Into<::taskflow_sdk::__private::Value>,
            ) -> Self {
                Self(self.0.raw(field, value))
            }
        }

        #[automatically_derived]
        impl ::core::convert::From<#values_ident> for ::taskflow_sdk::__private::WriteValues<#ident> {
            fn from(values: #values_ident) -> Self {
                values.0
            }
        }

        #[doc = #fields_doc]
        #vis struct #fields_ident<#root> {
            #(#handle_defs,)*
        }

        #[automatically_derived]
        impl ::taskflow_sdk::__private::Model for #ident {
            const MODEL: &'static ::core::primitive::str = #model_name;
            const FIELDS: &'static [&'static ::core::primitive::str] = &[#(#server_names),*];
            type Values = #values_ident;
            type Fields<#root> = #fields_ident<#root>;

            fn fields_at<#root>(prefix: &::core::primitive::str) -> #fields_ident<#root> {
                #fields_ident { #(#handle_inits,)* }
            }

            fn id(&self) -> ::taskflow_sdk::__private::Id<Self> {
                #id_expr
            }
        }

        #inherent

        const _: () = {
            #[derive(::core::default::Default)]
            struct __Slots {
                #(#slot_defs,)*
            }

            #[automatically_derived]
            impl ::taskflow_sdk::__private::RecordSlots for __Slots {
                type Record = #ident;
                const MODEL: &'static ::core::primitive::str = #model_name;

                fn slot(name: &::core::primitive::str) -> ::core::option::Option<::core::primitive::usize> {
                    match name {
                        #(#slot_names,)*
                        _ => ::core::option::Option::None,
                    }
                }

                fn fill<'de, __A: ::taskflow_sdk::__private::serde::de::MapAccess<'de>>(
                    &mut self,
                    slot: ::core::primitive::usize,
                    map: &mut __A,
                    ctx: &mut ::taskflow_sdk::__private::RecordCtx,
                ) -> ::core::result::Result<(), __A::Error> {
                    match slot {
                        #(#slot_arms,)*
                        _ => ::core::result::Result::Ok(()),
                    }
                }

                fn finish<__E: ::taskflow_sdk::__private::serde::de::Error>(
                    self,
                    ctx: &::taskflow_sdk::__private::RecordCtx,
                ) -> ::core::result::Result<#ident, __E> {
                    ::core::result::Result::Ok(#ident {
                        #(#finish_fields,)*
                    })
                }
            }

            #[automatically_derived]
            impl<'de> ::taskflow_sdk::__private::serde::Deserialize<'de> for #ident {
                fn deserialize<__D: ::taskflow_sdk::__private::serde::Deserializer<'de>>(
                    deserializer: __D,
                ) -> ::core::result::Result<Self, __D::Error> {
                    ::taskflow_sdk::__private::deserialize_record::<__Slots, __D>(deserializer)
                }
            }

            #[allow(dead_code)]
            fn __assert_field_types() {
                #(#assertions)*
            }
        };
    }
}

/// The inherent shortcuts (`Lead::create(...)`), each calling the generic operation.
fn inherent_impl(
    ident: &Ident,
    vis: &Visibility,
    values_ty: TokenStream,
    values_expr: TokenStream,
    fields_ty: TokenStream,
    fields_expr: TokenStream,
    model_name: &str,
) -> TokenStream {
    let p = quote!(::taskflow_sdk::__private);
    let session = quote!(&#p::Session);
    let ids = quote!(&[#p::Id<Self>]);
    let write_values = quote!(impl ::core::convert::Into<#p::WriteValues<Self>>);
    let doc = |what: &str| format!("{what} `{model_name}`. See `taskflow_sdk::model`.");
    let d_values = doc("Empty field values for create and write on");
    let d_fields = doc("Field handles for typed domains on");
    let d_create = doc("Creates one record of");
    let d_create_many = doc("Creates several records in one call on");
    let d_write = doc("Writes the same values to records of");
    let d_read = doc("Reads records (exactly this struct's fields) of");
    let d_unlink = doc("Deletes records of");
    let d_search = doc("Searches record ids of");
    let d_search_read = doc("Searches and reads records of");
    let d_search_count = doc("Counts matching records of");
    let d_name_get = doc("Display names (falling back to `display_name`) of");
    let d_name_search = doc("Finds records by display name on");
    let d_fields_get = doc("Describes the fields of");
    let d_load = doc("Imports rows keyed by external id, all or nothing, in one call into");
    quote! {
        #[automatically_derived]
        #[allow(dead_code)]
        impl #ident {
            #[doc = #d_values]
            #vis fn values() -> #values_ty {
                #values_expr
            }

            #[doc = #d_fields]
            #vis fn fields() -> #fields_ty {
                #fields_expr
            }

            #[doc = #d_create]
            #vis async fn create(session: #session, values: #write_values) -> #p::Result<#p::Id<Self>> {
                #p::model::create::<Self>(session, values).await
            }

            #[doc = #d_create_many]
            #vis async fn create_many<__V: ::core::convert::Into<#p::WriteValues<Self>>>(
                session: #session,
                values: impl ::core::iter::IntoIterator<Item = __V>,
            ) -> #p::Result<#p::Vec<#p::Id<Self>>> {
                #p::model::create_many::<Self, __V>(session, values).await
            }

            #[doc = #d_write]
            #vis async fn write(session: #session, ids: #ids, values: #write_values) -> #p::Result<()> {
                #p::model::write::<Self>(session, ids, values).await
            }

            #[doc = #d_read]
            #vis async fn read(session: #session, ids: #ids) -> #p::Result<#p::Vec<Self>> {
                #p::model::read::<Self>(session, ids).await
            }

            #[doc = #d_unlink]
            #vis async fn unlink(session: #session, ids: #ids) -> #p::Result<()> {
                #p::model::unlink::<Self>(session, ids).await
            }

            #[doc = #d_search]
            #vis fn search(
                session: #session,
                domain: #p::Domain<Self>,
            ) -> #p::model::Search<'_, Self, #p::Vec<#p::Id<Self>>> {
                #p::model::search::<Self>(session, domain)
            }

            #[doc = #d_search_read]
            #vis fn search_read(
                session: #session,
                domain: #p::Domain<Self>,
            ) -> #p::model::Search<'_, Self, #p::Vec<Self>> {
                #p::model::search_read::<Self>(session, domain)
            }

            #[doc = #d_search_count]
            #vis async fn search_count(session: #session, domain: #p::Domain<Self>) -> #p::Result<::core::primitive::u64> {
                #p::model::search_count::<Self>(session, domain).await
            }

            #[doc = #d_name_get]
            #vis async fn name_get(
                session: #session,
                ids: #ids,
            ) -> #p::Result<#p::Vec<(#p::Id<Self>, #p::String)>> {
                #p::model::name_get::<Self>(session, ids).await
            }

            #[doc = #d_name_search]
            #vis fn name_search(
                session: #session,
                name: impl ::core::convert::Into<#p::String>,
            ) -> #p::model::NameSearch<'_, Self> {
                #p::model::name_search::<Self>(session, name)
            }

            #[doc = #d_fields_get]
            #vis async fn fields_get(
                session: #session,
            ) -> #p::Result<#p::BTreeMap<#p::String, #p::model::FieldInfo>> {
                #p::model::fields_get::<Self>(session).await
            }

            #[doc = #d_load]
            #vis async fn load<__X, __V>(
                session: #session,
                rows: impl ::core::iter::IntoIterator<Item = (__X, __V)>,
            ) -> #p::Result<::core::result::Result<#p::Vec<#p::Id<Self>>, #p::Vec<#p::model::RowError>>>
            where
                __X: ::core::convert::Into<#p::String>,
                __V: ::core::convert::Into<#p::WriteValues<Self>>,
            {
                #p::model::load::<Self, __X, __V>(session, rows).await
            }
        }
    }
}

/// Stub impls emitted next to the errors, so that code using the model reports nothing more.
/// Nothing is emitted for generic items, where a stub would itself fail.
pub(super) fn model_fallback(input: &DeriveInput) -> TokenStream {
    if input.generics.lt_token.is_some() || input.generics.where_clause.is_some() {
        return TokenStream::new();
    }
    let ident = &input.ident;
    let p = quote!(::taskflow_sdk::__private);
    let inherent = inherent_impl(
        ident,
        &input.vis,
        quote!(#p::WriteValues<#ident>),
        quote!(#p::WriteValues::new()),
        quote!(#p::NoFields),
        quote!(#p::NoFields),
        "",
    );
    quote! {
        #[automatically_derived]
        impl #p::Model for #ident {
            const MODEL: &'static ::core::primitive::str = "";
            const FIELDS: &'static [&'static ::core::primitive::str] = &[];
            type Values = #p::WriteValues<Self>;
            type Fields<__TaskflowRoot> = #p::NoFields;

            fn fields_at<__TaskflowRoot>(_prefix: &::core::primitive::str) -> #p::NoFields {
                #p::NoFields
            }

            fn id(&self) -> #p::Id<Self> {
                #p::Id::new(0)
            }
        }

        #inherent

        #[automatically_derived]
        impl<'de> #p::serde::Deserialize<'de> for #ident {
            fn deserialize<__D: #p::serde::Deserializer<'de>>(
                _deserializer: __D,
            ) -> ::core::result::Result<Self, __D::Error> {
                ::core::result::Result::Err(<__D::Error as #p::serde::de::Error>::custom(
                    "#[derive(TaskflowModel)] failed for this type",
                ))
            }
        }
    }
}
