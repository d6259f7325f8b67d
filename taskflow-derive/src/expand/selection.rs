//! `#[derive(Selection)]`: the `Selection` impl and the serde and `FieldValue` impls that go
//! through it, or a stub `Selection` impl when the enum was refused.

use proc_macro2::TokenStream;
use quote::quote;
use syn::DeriveInput;

use crate::ir::Selection;

pub(super) fn selection_impl(s: &Selection<'_>) -> TokenStream {
    let p = quote!(::taskflow_sdk::__private);
    let ident = s.ident;
    let name = ident.to_string();
    let keys = s.variants.iter().map(|v| &v.key);
    let to_key = s.variants.iter().map(|v| {
        let (v, k) = (v.ident, &v.key);
        quote!(Self::#v => #k)
    });
    let from_key = s.variants.iter().map(|v| {
        let (v, k) = (v.ident, &v.key);
        quote!(#k => ::core::option::Option::Some(Self::#v))
    });
    let glue = glue_impls(ident);
    // `key` and `from_key` are the trait's only: inherent copies would clash with the user's own
    // methods of those names.
    quote! {
        #[automatically_derived]
        impl #p::Selection for #ident {
            const NAME: &'static ::core::primitive::str = #name;
            const KEYS: &'static [&'static ::core::primitive::str] = &[#(#keys),*];

            fn key(&self) -> &'static ::core::primitive::str {
                match self {
                    #(#to_key,)*
                }
            }

            fn from_key(key: &::core::primitive::str) -> ::core::option::Option<Self> {
                match key {
                    #(#from_key,)*
                    _ => ::core::option::Option::None,
                }
            }
        }

        #glue
    }
}

/// Stub impls emitted next to the errors, so that code using the enum (a model field of its type,
/// `.key()`) reports nothing more. The stub knows no keys. Nothing is emitted for generic items,
/// where a stub would itself fail.
pub(super) fn selection_fallback(input: &DeriveInput) -> TokenStream {
    if input.generics.lt_token.is_some() || input.generics.where_clause.is_some() {
        return TokenStream::new();
    }
    let p = quote!(::taskflow_sdk::__private);
    let ident = &input.ident;
    let name = ident.to_string();
    let glue = glue_impls(ident);
    quote! {
        #[automatically_derived]
        impl #p::Selection for #ident {
            const NAME: &'static ::core::primitive::str = #name;
            const KEYS: &'static [&'static ::core::primitive::str] = &[];

            fn key(&self) -> &'static ::core::primitive::str {
                ""
            }

            fn from_key(_key: &::core::primitive::str) -> ::core::option::Option<Self> {
                ::core::option::Option::None
            }
        }

        #glue
    }
}

/// Serialization, deserialization and field encoding, all through the `Selection` impl.
fn glue_impls(ident: &syn::Ident) -> TokenStream {
    let p = quote!(::taskflow_sdk::__private);
    quote! {
        #[automatically_derived]
        impl #p::serde::Serialize for #ident {
            fn serialize<__S: #p::serde::Serializer>(
                &self,
                serializer: __S,
            ) -> ::core::result::Result<__S::Ok, __S::Error> {
                #p::selection::serialize(self, serializer)
            }
        }

        #[automatically_derived]
        impl<'de> #p::serde::Deserialize<'de> for #ident {
            fn deserialize<__D: #p::serde::Deserializer<'de>>(
                deserializer: __D,
            ) -> ::core::result::Result<Self, __D::Error> {
                #p::selection::deserialize(deserializer)
            }
        }

        #[automatically_derived]
        impl #p::FieldValue for #ident {
            type Write = Self;
            type Operand = Self;
            const SHAPE: #p::Shape = #p::Shape::selection(<Self as #p::Selection>::KEYS);

            fn write_value(value: Self) -> #p::WriteValue {
                #p::selection::write_value(value)
            }

            fn operand_value(value: Self) -> #p::Value {
                #p::selection::operand_value(value)
            }
        }
    }
}
