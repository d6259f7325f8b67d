//! Typed search domains, rendered to the server's prefix notation.
//!
//! Build leaves from the field handles the derive generates (`Lead::fields()`), combine them with
//! `&`, `|` and `!`; the result is a [`Domain`] typed by the model it filters, so a partner domain
//! cannot be passed to a lead search. [`Domain::leaf`] and [`Domain::raw`] cover what the handles
//! do not.
//!
//! ```
//! use taskflow_sdk::{Domain, Id, Many2one, TaskflowModel};
//!
//! #[derive(TaskflowModel)]
//! #[taskflow(model = "res.partner")]
//! struct Partner { id: Id<Partner>, name: String }
//!
//! #[derive(TaskflowModel)]
//! #[taskflow(model = "crm.lead")]
//! struct Lead { id: Id<Lead>, name: String, expected_revenue: f64, partner_id: Option<Many2one<Partner>> }
//!
//! let f = Lead::fields();
//! let domain = (f.expected_revenue.gt(10_000.0) & f.name.ilike("desk"))
//!     | !f.partner_id.related().name.ilike("deco");
//! assert_eq!(
//!     domain.to_string(),
//!     r#"["|", "&", ["expected_revenue", ">", 10000.0], ["name", "ilike", "desk"], "!", ["partner_id.name", "ilike", "deco"]]"#
//! );
//! ```

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;
use std::ops::{BitAnd, BitOr, Not};

use serde::ser::{Serialize, SerializeSeq, Serializer};

use crate::fields::{FieldValue, Relational, TextField};
use crate::model::Model;
use crate::xmlrpc::Value;

/// A search domain on model `M`, in the server's prefix notation.
pub struct Domain<M> {
    terms: Vec<Value>,
    /// How many expressions the terms hold side by side (an implicit AND when more than one).
    arity: usize,
    model: PhantomData<fn() -> M>,
}

const AND: &str = "&";
const OR: &str = "|";
const NOT: &str = "!";

impl<M> Domain<M> {
    /// The empty domain: every record.
    pub fn all() -> Self {
        Domain {
            terms: Vec::new(),
            arity: 0,
            model: PhantomData,
        }
    }

    /// One leaf `(field, operator, value)`, for operators and paths the handles do not cover.
    pub fn leaf(field: impl Into<String>, operator: &str, value: impl Into<Value>) -> Self {
        Domain {
            terms: vec![Value::Array(vec![
                Value::String(field.into()),
                Value::String(operator.to_owned()),
                value.into(),
            ])],
            arity: 1,
            model: PhantomData,
        }
    }

    /// A domain written by hand as the server's list (`["|", [..], [..]]`); `value` must be an
    /// array, anything else is taken as a single term.
    pub fn raw(value: Value) -> Self {
        let terms = match value {
            Value::Array(terms) => terms,
            other => vec![other],
        };
        // Count the expressions the prefix list leaves side by side.
        let mut arity: isize = 0;
        for term in terms.iter().rev() {
            match term.as_str() {
                Some(AND | OR) => arity -= 1,
                Some(NOT) => {}
                _ => arity += 1,
            }
        }
        Domain {
            terms,
            arity: arity.max(0) as usize,
            model: PhantomData,
        }
    }

    /// True for the empty domain.
    pub fn is_all(&self) -> bool {
        self.terms.is_empty()
    }

    /// The terms as sent.
    pub fn terms(&self) -> &[Value] {
        &self.terms
    }

    /// The terms as one expression (joins side-by-side expressions with `&`).
    fn into_single(self) -> Vec<Value> {
        let mut out = Vec::with_capacity(self.terms.len() + self.arity);
        for _ in 1..self.arity {
            out.push(Value::String(AND.to_owned()));
        }
        out.extend(self.terms);
        out
    }

    fn combine(self, op: &str, other: Self) -> Self {
        let mut terms = vec![Value::String(op.to_owned())];
        terms.extend(self.into_single());
        terms.extend(other.into_single());
        Domain {
            terms,
            arity: 1,
            model: PhantomData,
        }
    }
}

impl<M> BitAnd for Domain<M> {
    type Output = Domain<M>;

    /// Both conditions hold (the empty domain is neutral).
    fn bitand(self, rhs: Self) -> Domain<M> {
        match (self.is_all(), rhs.is_all()) {
            (true, _) => rhs,
            (_, true) => self,
            _ => self.combine(AND, rhs),
        }
    }
}

impl<M> BitOr for Domain<M> {
    type Output = Domain<M>;

    /// Either condition holds (with the empty domain, everything matches).
    fn bitor(self, rhs: Self) -> Domain<M> {
        if self.is_all() || rhs.is_all() {
            return Domain::all();
        }
        self.combine(OR, rhs)
    }
}

impl<M> Not for Domain<M> {
    type Output = Domain<M>;

    /// The condition does not hold (`!` of the empty domain matches nothing).
    fn not(self) -> Domain<M> {
        if self.is_all() {
            return Domain::leaf("id", "=", false);
        }
        let mut terms = vec![Value::String(NOT.to_owned())];
        terms.extend(self.into_single());
        Domain {
            terms,
            arity: 1,
            model: PhantomData,
        }
    }
}

impl<M> Clone for Domain<M> {
    fn clone(&self) -> Self {
        Domain {
            terms: self.terms.clone(),
            arity: self.arity,
            model: PhantomData,
        }
    }
}

impl<M> PartialEq for Domain<M> {
    fn eq(&self, other: &Self) -> bool {
        self.terms == other.terms
    }
}

impl<M> Default for Domain<M> {
    fn default() -> Self {
        Domain::all()
    }
}

impl<M> fmt::Debug for Domain<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Domain({self})")
    }
}

/// Renders the list the way Python would print it, with double quotes.
impl<M> fmt::Display for Domain<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn render(value: &Value, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            match value {
                Value::Int(i) => write!(f, "{i}"),
                Value::Bool(b) => f.write_str(if *b { "True" } else { "False" }),
                Value::String(s) | Value::DateTime(s) => write!(f, "{s:?}"),
                Value::Double(d) => write!(f, "{d:?}"),
                Value::Base64(b) => write!(f, "<{} bytes>", b.len()),
                Value::Nil => f.write_str("None"),
                Value::Array(items) => {
                    f.write_str("[")?;
                    for (i, item) in items.iter().enumerate() {
                        if i > 0 {
                            f.write_str(", ")?;
                        }
                        render(item, f)?;
                    }
                    f.write_str("]")
                }
                Value::Struct(members) => {
                    f.write_str("{")?;
                    for (i, (k, v)) in members.iter().enumerate() {
                        if i > 0 {
                            f.write_str(", ")?;
                        }
                        write!(f, "{k:?}: ")?;
                        render(v, f)?;
                    }
                    f.write_str("}")
                }
            }
        }
        f.write_str("[")?;
        for (i, term) in self.terms.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            render(term, f)?;
        }
        f.write_str("]")
    }
}

impl<M> Serialize for Domain<M> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.terms.len()))?;
        for term in &self.terms {
            seq.serialize_element(term)?;
        }
        seq.end()
    }
}

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
    fn raw_domains_with_implicit_and_are_joined_before_combining() {
        let raw = Domain::<Lead>::raw(Value::Array(vec![
            Value::Array(vec!["a".into(), "=".into(), 1.into()]),
            Value::Array(vec!["b".into(), "=".into(), 2.into()]),
        ]));
        let d = raw | Domain::leaf("c", "=", 3);
        assert_eq!(
            d.to_string(),
            r#"["|", "&", ["a", "=", 1], ["b", "=", 2], ["c", "=", 3]]"#
        );
        let or = Domain::<Lead>::raw(Value::Array(vec![
            "|".into(),
            Value::Array(vec!["a".into(), "=".into(), 1.into()]),
            Value::Array(vec!["b".into(), "=".into(), 2.into()]),
        ]));
        assert_eq!(
            (or & Domain::leaf("c", "=", 3)).to_string(),
            r#"["&", "|", ["a", "=", 1], ["b", "=", 2], ["c", "=", 3]]"#
        );
    }

    #[test]
    fn empty_domain_is_neutral_for_and_absorbing_for_or() {
        let name = Field::<Lead, String>::new("", "name");
        assert_eq!(Domain::all() & name.eq("a"), name.eq("a"));
        assert!((name.eq("a") | Domain::all()).is_all());
        assert_eq!(
            (!Domain::<Lead>::all()).to_string(),
            r#"[["id", "=", False]]"#
        );
        assert_eq!(name.is_set().to_string(), r#"[["name", "!=", False]]"#);
        assert_eq!(name.is_empty().to_string(), r#"[["name", "=", False]]"#);
    }
}
