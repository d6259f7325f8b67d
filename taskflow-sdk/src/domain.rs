//! Typed search domains, rendered to the server's prefix notation.
//!
//! Build leaves from the field handles the derive generates (`Lead::fields()`, each a
//! [`fields::Field`](crate::fields::Field)), combine them with `&`, `|` and `!`; the result is a
//! [`Domain`] typed by the model it filters, so a partner domain cannot be passed to a lead search.
//! [`Domain::leaf`] and [`Domain::raw`] cover what the handles do not.
//!
//! The handles' operators are named after diesel's: `eq`, `ne`, `lt`, `le`, `gt`, `ge`, `like`,
//! `ilike`, `not_like`, `not_ilike`, `eq_any` (`in`), `ne_all` (`not in`), `is_null` (`= False`),
//! `is_not_null` (`!= False`) and `child_of`. This query language is the one place where an `is_*`
//! method builds an expression instead of answering a `bool`.
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

use std::fmt;
use std::marker::PhantomData;
use std::ops::{BitAnd, BitOr, Not};

use serde::ser::{Serialize, SerializeSeq, Serializer};

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

#[cfg(test)]
mod tests {
    use super::*;

    struct Lead;

    #[test]
    fn operators_render_prefix_notation() {
        let d = Domain::<Lead>::leaf("name", "=", "a")
            | (Domain::leaf("expected_revenue", ">=", 1.0)
                & !Domain::leaf("tag_ids", "in", vec![1, 2]));
        assert_eq!(
            d.to_string(),
            r#"["|", ["name", "=", "a"], "&", ["expected_revenue", ">=", 1.0], "!", ["tag_ids", "in", [1, 2]]]"#
        );
        let d = Domain::<Lead>::leaf("name", "!=", "x")
            & Domain::leaf("tag_ids", "not in", vec![3])
            & Domain::leaf("expected_revenue", "<", 2.0);
        assert_eq!(
            d.to_string(),
            r#"["&", "&", ["name", "!=", "x"], ["tag_ids", "not in", [3]], ["expected_revenue", "<", 2.0]]"#
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
        let name_a = || Domain::<Lead>::leaf("name", "=", "a");
        assert_eq!(Domain::all() & name_a(), name_a());
        assert!((name_a() | Domain::all()).is_all());
        assert_eq!(
            (!Domain::<Lead>::all()).to_string(),
            r#"[["id", "=", False]]"#
        );
    }
}
