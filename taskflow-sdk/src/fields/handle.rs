//! Field handles: the typed leaves of a [`Domain`].

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use super::{FieldValue, Relational, TextField};
use crate::domain::Domain;
use crate::model::Model;
use crate::xmlrpc::Value;

/// A handle on field `T` of a model, for domains on the root model `R` (`Lead::fields().name`).
///
/// The comparison methods take the field's operand type: a string for text, a number for numeric
/// fields, an [`Id`](crate::Id) for relations, the enum for selections.
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
        Domain::leaf(self.path.as_ref(), operator, T::operand_value(value))
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
        Domain::leaf(self.path.as_ref(), operator, Value::Array(list))
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

    /// `field in [values]`
    pub fn in_(&self, values: impl IntoIterator<Item = impl Into<T::Operand>>) -> Domain<R> {
        self.compare_list("in", values)
    }

    /// `field not in [values]`
    pub fn not_in(&self, values: impl IntoIterator<Item = impl Into<T::Operand>>) -> Domain<R> {
        self.compare_list("not in", values)
    }

    /// `field != False`: the field has a value.
    pub fn is_set(&self) -> Domain<R> {
        Domain::leaf(self.path.as_ref(), "!=", false)
    }

    /// `field = False`: the field is empty.
    pub fn is_empty(&self) -> Domain<R> {
        Domain::leaf(self.path.as_ref(), "=", false)
    }
}

impl<R, T: TextField> Field<R, T> {
    /// `field like pattern` (case-sensitive, the server adds the `%` wildcards).
    pub fn like(&self, pattern: impl Into<String>) -> Domain<R> {
        Domain::leaf(self.path.as_ref(), "like", pattern.into())
    }

    /// `field ilike pattern` (case-insensitive, the server adds the `%` wildcards).
    pub fn ilike(&self, pattern: impl Into<String>) -> Domain<R> {
        Domain::leaf(self.path.as_ref(), "ilike", pattern.into())
    }

    /// `field not ilike pattern`.
    pub fn not_ilike(&self, pattern: impl Into<String>) -> Domain<R> {
        Domain::leaf(self.path.as_ref(), "not ilike", pattern.into())
    }
}

impl<R, T: Relational> Field<R, T> {
    /// The related model's field handles, reached through this field (`partner_id.name`).
    pub fn related(&self) -> <T::Target as Model>::Fields<R> {
        T::Target::fields_at(&format!("{}.", self.path))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::{Id, Many2many};

    struct Lead;
    struct Tag;

    #[test]
    fn operators_render_prefix_notation() {
        let name = Field::<Lead, String>::new("", "name");
        let revenue = Field::<Lead, f64>::new("", "expected_revenue");
        let tags = Field::<Lead, Many2many<Tag>>::new("", "tag_ids");
        let d = name.eq("a") | (revenue.ge(1.0) & !tags.in_([Id::new(1), Id::new(2)]));
        assert_eq!(
            d.to_string(),
            r#"["|", ["name", "=", "a"], "&", ["expected_revenue", ">=", 1.0], "!", ["tag_ids", "in", [1, 2]]]"#
        );
        let d = name.ne("x") & tags.not_in([Id::new(3)]) & revenue.lt(2.0);
        assert_eq!(
            d.to_string(),
            r#"["&", "&", ["name", "!=", "x"], ["tag_ids", "not in", [3]], ["expected_revenue", "<", 2.0]]"#
        );
        assert_eq!(
            (revenue.le(1.0) & name.like("A")).to_string(),
            r#"["&", ["expected_revenue", "<=", 1.0], ["name", "like", "A"]]"#
        );
    }

    #[test]
    fn emptiness_compares_with_false() {
        let name = Field::<Lead, String>::new("", "name");
        assert_eq!(name.is_set().to_string(), r#"[["name", "!=", False]]"#);
        assert_eq!(name.is_empty().to_string(), r#"[["name", "=", False]]"#);
    }
}
