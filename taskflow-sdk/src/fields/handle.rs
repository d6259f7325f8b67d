//! Field handles: the typed leaves of a [`Domain`].

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use super::{FieldValue, Id, Many2many, Many2one, One2many};
use crate::domain::Domain;
use crate::model::Model;
use crate::xmlrpc::Value;

/// A handle on field `T` of a model, for domains on the root model `R` (`Lead::fields().name`).
///
/// The comparison methods take the field's operand type: a string for text, a number for numeric
/// fields, an [`Id`] for relations, the enum for selections. Their names follow diesel's query
/// DSL; each builds one leaf in the server's notation:
///
/// | method | leaf | applies to |
/// | --- | --- | --- |
/// | [`eq`](Field::eq), [`ne`](Field::ne) | `=`, `!=` | every field |
/// | [`lt`](Field::lt), [`le`](Field::le), [`gt`](Field::gt), [`ge`](Field::ge) | `<`, `<=`, `>`, `>=` | every field |
/// | [`eq_any`](Field::eq_any), [`ne_all`](Field::ne_all) | `in`, `not in` | every field |
/// | [`is_null`](Field::is_null), [`is_not_null`](Field::is_not_null) | `= False`, `!= False` | every field |
/// | [`like`](Field::like), [`ilike`](Field::ilike), [`not_like`](Field::not_like), [`not_ilike`](Field::not_ilike) | `like`, `ilike`, `not like`, `not ilike` | text and many2one fields |
/// | [`child_of`](Field::child_of) | `child_of` | `id` and relational fields |
///
/// The query DSL is the one place where an `is_*` method does not answer a `bool`:
/// [`is_null`](Field::is_null) and [`is_not_null`](Field::is_not_null) build a condition, to be
/// sent to the server.
///
/// ```
/// use taskflow_sdk::{Id, Many2one, TaskflowModel};
///
/// #[derive(TaskflowModel)]
/// #[taskflow(model = "res.partner")]
/// struct Partner { id: Id<Partner>, name: String }
///
/// #[derive(TaskflowModel)]
/// #[taskflow(model = "crm.lead")]
/// struct Lead { id: Id<Lead>, name: String, partner_id: Option<Many2one<Partner>> }
///
/// let f = Lead::fields();
/// let domain = f.id.eq_any([Id::new(1), Id::new(2)])
///     & f.partner_id.is_not_null()
///     & f.partner_id.child_of(Id::new(10))
///     & f.name.not_like("test");
/// assert_eq!(
///     domain.to_string(),
///     r#"["&", "&", "&", ["id", "in", [1, 2]], ["partner_id", "!=", False], ["partner_id", "child_of", 10], ["name", "not like", "test"]]"#
/// );
/// ```
pub struct Field<R, T> {
    path: Cow<'static, str>,
    marker: PhantomData<fn() -> (R, T)>,
}

impl<R, T> Field<R, T> {
    /// The handle of `name` under `prefix` (`"partner_id."`, or `""` for the model's own field).
    pub fn new(prefix: &str, name: &'static str) -> Self {
        let path = if prefix.is_empty() {
            Cow::Borrowed(name)
        } else {
            Cow::Owned(format!("{prefix}{name}"))
        };
        Field {
            path,
            marker: PhantomData,
        }
    }

    /// The dotted path sent to the server (`"partner_id.name"`).
    pub fn path(&self) -> &str {
        &self.path
    }

    fn leaf(&self, operator: &str, value: impl Into<Value>) -> Domain<R> {
        Domain::leaf(self.path.as_ref(), operator, value)
    }
}

impl<R, T> Clone for Field<R, T> {
    fn clone(&self) -> Self {
        Field {
            path: self.path.clone(),
            marker: PhantomData,
        }
    }
}

impl<R, T> fmt::Debug for Field<R, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Field({})", self.path)
    }
}

impl<R, T: FieldValue> Field<R, T> {
    fn compare(&self, operator: &str, value: T::Operand) -> Domain<R> {
        self.leaf(operator, T::operand_value(value))
    }

    fn compare_list(
        &self,
        operator: &str,
        values: impl IntoIterator<Item = impl Into<T::Operand>>,
    ) -> Domain<R> {
        let list = values
            .into_iter()
            .map(|v| T::operand_value(v.into()))
            .collect();
        self.leaf(operator, Value::Array(list))
    }

    /// `field = value`
    pub fn eq(&self, value: impl Into<T::Operand>) -> Domain<R> {
        self.compare("=", value.into())
    }

    /// `field != value`
    pub fn ne(&self, value: impl Into<T::Operand>) -> Domain<R> {
        self.compare("!=", value.into())
    }

    /// `field < value`
    pub fn lt(&self, value: impl Into<T::Operand>) -> Domain<R> {
        self.compare("<", value.into())
    }

    /// `field <= value`
    pub fn le(&self, value: impl Into<T::Operand>) -> Domain<R> {
        self.compare("<=", value.into())
    }

    /// `field > value`
    pub fn gt(&self, value: impl Into<T::Operand>) -> Domain<R> {
        self.compare(">", value.into())
    }

    /// `field >= value`
    pub fn ge(&self, value: impl Into<T::Operand>) -> Domain<R> {
        self.compare(">=", value.into())
    }

    /// `field in [values]`: the field equals one of `values` (for an x2many, one of its related
    /// records is among them).
    pub fn eq_any(&self, values: impl IntoIterator<Item = impl Into<T::Operand>>) -> Domain<R> {
        self.compare_list("in", values)
    }

    /// `field not in [values]`: the field equals none of `values`.
    pub fn ne_all(&self, values: impl IntoIterator<Item = impl Into<T::Operand>>) -> Domain<R> {
        self.compare_list("not in", values)
    }

    /// `field = False`: the field is empty. Builds a condition; it does not answer a `bool`.
    pub fn is_null(&self) -> Domain<R> {
        self.leaf("=", false)
    }

    /// `field != False`: the field has a value. Builds a condition; it does not answer a `bool`.
    pub fn is_not_null(&self) -> Domain<R> {
        self.leaf("!=", false)
    }
}

impl<R, T: TextField> Field<R, T> {
    /// `field like pattern` (case-sensitive, the server adds the `%` wildcards).
    pub fn like(&self, pattern: impl Into<String>) -> Domain<R> {
        self.leaf("like", pattern.into())
    }

    /// `field ilike pattern` (case-insensitive, the server adds the `%` wildcards).
    pub fn ilike(&self, pattern: impl Into<String>) -> Domain<R> {
        self.leaf("ilike", pattern.into())
    }

    /// `field not like pattern` (case-sensitive).
    pub fn not_like(&self, pattern: impl Into<String>) -> Domain<R> {
        self.leaf("not like", pattern.into())
    }

    /// `field not ilike pattern` (case-insensitive).
    pub fn not_ilike(&self, pattern: impl Into<String>) -> Domain<R> {
        self.leaf("not ilike", pattern.into())
    }
}

impl<R, M, T: FieldValue<Operand = Id<M>>> Field<R, T> {
    /// `field child_of id`: the field points at record `id` or at one of its descendants through
    /// the related model's `parent_id` (on the `id` field: the record itself or a descendant).
    pub fn child_of(&self, id: impl Into<Id<M>>) -> Domain<R> {
        self.leaf("child_of", id.into().get())
    }
}

impl<R, T: Relational> Field<R, T> {
    /// The related model's field handles, reached through this field (`partner_id.name`).
    pub fn related(&self) -> <T::Target as Model>::Fields<R> {
        T::Target::fields_at(&format!("{}.", self.path))
    }
}

/// Field types that `like`, `ilike`, `not_like` and `not_ilike` apply to (text, and many2one
/// relations, matched on their display name).
pub trait TextField {}
impl TextField for String {}
impl<M> TextField for Many2one<M> {}
impl<T: TextField> TextField for Option<T> {}

/// Field types that point at another model, so a domain can follow them (`partner_id.name`).
pub trait Relational {
    /// The related model.
    type Target: Model;
}
impl<M: Model> Relational for Many2one<M> {
    type Target = M;
}
impl<M: Model> Relational for One2many<M> {
    type Target = M;
}
impl<M: Model> Relational for Many2many<M> {
    type Target = M;
}
impl<T: Relational> Relational for Option<T> {
    type Target = T::Target;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::{Many2many, Many2one};

    struct Lead;
    struct Tag;
    struct Partner;

    #[test]
    fn operators_render_prefix_notation() {
        let name = Field::<Lead, String>::new("", "name");
        let revenue = Field::<Lead, f64>::new("", "expected_revenue");
        let tags = Field::<Lead, Many2many<Tag>>::new("", "tag_ids");
        let d = name.eq("a") | (revenue.ge(1.0) & !tags.eq_any([Id::new(1), Id::new(2)]));
        assert_eq!(
            d.to_string(),
            r#"["|", ["name", "=", "a"], "&", ["expected_revenue", ">=", 1.0], "!", ["tag_ids", "in", [1, 2]]]"#
        );
        let d = name.ne("x") & tags.ne_all([Id::new(3)]) & revenue.lt(2.0);
        assert_eq!(
            d.to_string(),
            r#"["&", "&", ["name", "!=", "x"], ["tag_ids", "not in", [3]], ["expected_revenue", "<", 2.0]]"#
        );
        assert_eq!(
            (revenue.le(1.0) & name.like("A")).to_string(),
            r#"["&", ["expected_revenue", "<=", 1.0], ["name", "like", "A"]]"#
        );
        assert_eq!(
            (revenue.gt(1.0) & name.ilike("a")).to_string(),
            r#"["&", ["expected_revenue", ">", 1.0], ["name", "ilike", "a"]]"#
        );
    }

    #[test]
    fn null_tests_compare_with_false() {
        let name = Field::<Lead, String>::new("", "name");
        assert_eq!(name.is_not_null().to_string(), r#"[["name", "!=", False]]"#);
        assert_eq!(name.is_null().to_string(), r#"[["name", "=", False]]"#);
    }

    #[test]
    fn negated_text_operators() {
        let name = Field::<Lead, Option<String>>::new("", "name");
        assert_eq!(
            name.not_like("Quote").to_string(),
            r#"[["name", "not like", "Quote"]]"#
        );
        assert_eq!(
            name.not_ilike("quote").to_string(),
            r#"[["name", "not ilike", "quote"]]"#
        );
    }

    #[test]
    fn child_of_takes_an_id_of_the_related_model() {
        let partner = Field::<Lead, Option<Many2one<Partner>>>::new("", "partner_id");
        assert_eq!(
            partner.child_of(Id::new(10)).to_string(),
            r#"[["partner_id", "child_of", 10]]"#
        );
        let id = Field::<Partner, Id<Partner>>::new("", "id");
        assert_eq!(
            id.child_of(Id::new(3)).to_string(),
            r#"[["id", "child_of", 3]]"#
        );
        let tags = Field::<Lead, Many2many<Tag>>::new("", "tag_ids");
        assert_eq!(
            tags.child_of(Id::new(4)).to_string(),
            r#"[["tag_ids", "child_of", 4]]"#
        );
    }

    #[test]
    fn paths_carry_the_prefix() {
        let name = Field::<Lead, String>::new("partner_id.", "name");
        assert_eq!(name.path(), "partner_id.name");
        assert_eq!(format!("{name:?}"), "Field(partner_id.name)");
    }
}
