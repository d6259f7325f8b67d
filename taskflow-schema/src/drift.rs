//! Drift: what changed between a committed snapshot and the live schema, and which changes
//! break code built on the committed one.

use std::cmp::Ordering;
use std::fmt;

use crate::selection::SelectionKey;
use crate::snapshot::{FieldSpec, Snapshot};

/// One difference between a committed snapshot and the live schema of the same model.
///
/// Its `Display` is a line of a report, `crm.lead.priority: selection key "4" added`:
///
/// ```
/// use taskflow_schema::{Change, ChangeKind};
///
/// let change = Change::new(
///     "crm.lead",
///     Some("priority"),
///     ChangeKind::SelectionKeyAdded { key: "4".into() },
/// );
/// assert_eq!(change.to_string(), r#"crm.lead.priority: selection key "4" added"#);
/// assert!(change.is_breaking());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Change {
    /// The model (`crm.lead`).
    pub model: String,
    /// The field, unless the change is about the whole model.
    pub field: Option<String>,
    /// What changed, with the old and new values.
    pub kind: ChangeKind,
}

/// What changed, old value first.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ChangeKind {
    /// The server no longer has the model (or no longer lets anyone name it). Breaking.
    ModelRemoved,
    /// The server has a field the snapshot lacks. Safe: generated code does not read it.
    FieldAdded {
        /// Its type's name.
        type_name: String,
    },
    /// The snapshot has a field the server no longer reports. Breaking: reads and writes
    /// naming it fail.
    FieldRemoved {
        /// Its type's name in the snapshot.
        type_name: String,
    },
    /// The field's type changed (`char` -> `text`). Breaking: the Rust type may no longer
    /// decode. The relation and selection of a field whose type changed are not compared: they
    /// follow from the type.
    TypeChanged {
        /// The type in the snapshot.
        old: String,
        /// The type on the server.
        new: String,
    },
    /// A relational field points at another model. Breaking: its ids are another model's.
    RelationChanged {
        /// The relation in the snapshot.
        old: Option<String>,
        /// The relation on the server.
        new: Option<String>,
    },
    /// The one2many's inverse field changed. Safe: clients read and write the ids only.
    InverseChanged {
        /// The inverse field in the snapshot.
        old: Option<String>,
        /// The inverse field on the server.
        new: Option<String>,
    },
    /// The field became required. Breaking: code built on the snapshot creates records
    /// without it, which the server now refuses.
    BecameRequired,
    /// The field is no longer required. Safe by the rules of issue 15.
    NoLongerRequired,
    /// The selection has a key the snapshot lacks. Breaking: decoding it into the generated
    /// enum fails.
    SelectionKeyAdded {
        /// The new key.
        key: SelectionKey,
    },
    /// The selection lost a key. Breaking: writing the generated enum's variant fails.
    SelectionKeyRemoved {
        /// The key that is gone.
        key: SelectionKey,
    },
    /// A selection key kept its value and changed its label. Safe.
    SelectionLabelChanged {
        /// The key.
        key: SelectionKey,
        /// Its label in the snapshot.
        old: String,
        /// Its label on the server.
        new: String,
    },
    /// The field's label (`string`) changed. Safe.
    LabelChanged {
        /// The label in the snapshot.
        old: String,
        /// The label on the server.
        new: String,
    },
    /// The help text changed. Safe.
    HelpChanged {
        /// The help in the snapshot.
        old: Option<String>,
        /// The help on the server.
        new: Option<String>,
    },
    /// The web client's read-only flag changed. Safe: the ORM decides what it accepts.
    ReadonlyChanged {
        /// The flag in the snapshot.
        old: bool,
        /// The flag on the server.
        new: bool,
    },
}

impl ChangeKind {
    /// Whether code built on the committed snapshot may fail because of this change.
    pub fn is_breaking(&self) -> bool {
        match self {
            ChangeKind::ModelRemoved
            | ChangeKind::FieldRemoved { .. }
            | ChangeKind::TypeChanged { .. }
            | ChangeKind::RelationChanged { .. }
            | ChangeKind::BecameRequired
            | ChangeKind::SelectionKeyAdded { .. }
            | ChangeKind::SelectionKeyRemoved { .. } => true,
            ChangeKind::FieldAdded { .. }
            | ChangeKind::InverseChanged { .. }
            | ChangeKind::NoLongerRequired
            | ChangeKind::SelectionLabelChanged { .. }
            | ChangeKind::LabelChanged { .. }
            | ChangeKind::HelpChanged { .. }
            | ChangeKind::ReadonlyChanged { .. } => false,
        }
    }
}

impl Change {
    /// A change of `model`, or of its `field`.
    pub fn new(model: impl Into<String>, field: Option<&str>, kind: ChangeKind) -> Change {
        Change {
            model: model.into(),
            field: field.map(str::to_owned),
            kind,
        }
    }

    /// Whether code built on the committed snapshot may fail because of this change
    /// ([`ChangeKind::is_breaking`]).
    pub fn is_breaking(&self) -> bool {
        self.kind.is_breaking()
    }
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.field {
            Some(field) => write!(f, "{}.{field}: {}", self.model, self.kind),
            None => write!(f, "{}: {}", self.model, self.kind),
        }
    }
}

/// `"text"`, or `(none)`.
struct Maybe<'a>(&'a Option<String>);

impl fmt::Display for Maybe<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(text) => write!(f, "{text:?}"),
            None => f.write_str("(none)"),
        }
    }
}

impl fmt::Display for ChangeKind {
    /// What changed, without the model and field: `selection key "4" added`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChangeKind::ModelRemoved => f.write_str("model removed"),
            ChangeKind::FieldAdded { type_name } => write!(f, "field added ({type_name})"),
            ChangeKind::FieldRemoved { type_name } => write!(f, "field removed (was {type_name})"),
            ChangeKind::TypeChanged { old, new } => write!(f, "type {old} -> {new}"),
            ChangeKind::RelationChanged { old, new } => {
                let name = |r: &Option<String>| r.clone().unwrap_or_else(|| "(none)".into());
                write!(f, "relation {} -> {}", name(old), name(new))
            }
            ChangeKind::InverseChanged { old, new } => {
                write!(f, "inverse field {} -> {}", Maybe(old), Maybe(new))
            }
            ChangeKind::BecameRequired => f.write_str("became required"),
            ChangeKind::NoLongerRequired => f.write_str("no longer required"),
            ChangeKind::SelectionKeyAdded { key } => write!(f, "selection key {key} added"),
            ChangeKind::SelectionKeyRemoved { key } => write!(f, "selection key {key} removed"),
            ChangeKind::SelectionLabelChanged { key, old, new } => {
                write!(f, "selection key {key} label {old:?} -> {new:?}")
            }
            ChangeKind::LabelChanged { old, new } => write!(f, "label {old:?} -> {new:?}"),
            ChangeKind::HelpChanged { old, new } => {
                write!(f, "help {} -> {}", Maybe(old), Maybe(new))
            }
            ChangeKind::ReadonlyChanged { old: false, .. } => f.write_str("became read-only"),
            ChangeKind::ReadonlyChanged { .. } => f.write_str("no longer read-only"),
        }
    }
}

/// The changes from `committed` to `live`, the same model as the server describes it now, or
/// `None` when the server no longer has it.
///
/// Changes come in field name order, and for one field in a fixed order (type, relation,
/// inverse, required, selection, label, help, read-only), so a report is stable. Only the
/// fields are compared: the model's description, the server version and who pulled each side
/// are the caller's to report.
///
/// ```
/// use taskflow_schema::Snapshot;
///
/// let committed = Snapshot::from_json(br#"{
///   "fields": {"name": {"required": false, "string": "Name", "type": "char"}},
///   "format": 1, "model": "crm.tag", "server_version": "17.0",
///   "pulled_by": {"database": "demo", "login": "admin", "uid": 2}
/// }"#)?;
/// let mut live = committed.clone();
/// live.fields.get_mut("name").unwrap().required = true;
///
/// let changes = taskflow_schema::diff(&committed, Some(&live));
/// assert_eq!(changes.len(), 1);
/// assert_eq!(changes[0].to_string(), "crm.tag.name: became required");
/// assert!(changes[0].is_breaking());
/// assert!(taskflow_schema::diff(&committed, Some(&committed)).is_empty());
/// # Ok::<(), taskflow_schema::SchemaError>(())
/// ```
pub fn diff(committed: &Snapshot, live: Option<&Snapshot>) -> Vec<Change> {
    let model = committed.model.as_str();
    let Some(live) = live else {
        return vec![Change::new(model, None, ChangeKind::ModelRemoved)];
    };
    let mut changes = Vec::new();
    let mut old = committed.fields.iter().peekable();
    let mut new = live.fields.iter().peekable();
    // Both maps are sorted by name: walk them side by side.
    loop {
        let order = match (old.peek(), new.peek()) {
            (None, None) => break,
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (Some((was, _)), Some((now, _))) => was.cmp(now),
        };
        match order {
            Ordering::Less => {
                let (name, spec) = old.next().expect("peeked");
                let kind = ChangeKind::FieldRemoved {
                    type_name: spec.type_name.clone(),
                };
                changes.push(Change::new(model, Some(name), kind));
            }
            Ordering::Equal => {
                let ((name, was), (_, now)) =
                    (old.next().expect("peeked"), new.next().expect("peeked"));
                field(model, name, was, now, &mut changes);
            }
            Ordering::Greater => {
                let (name, spec) = new.next().expect("peeked");
                let kind = ChangeKind::FieldAdded {
                    type_name: spec.type_name.clone(),
                };
                changes.push(Change::new(model, Some(name), kind));
            }
        }
    }
    changes
}

/// The changes of one field present on both sides.
fn field(model: &str, name: &str, was: &FieldSpec, now: &FieldSpec, changes: &mut Vec<Change>) {
    let mut push = |kind| changes.push(Change::new(model, Some(name), kind));
    let same_type = was.type_name == now.type_name;
    if !same_type {
        push(ChangeKind::TypeChanged {
            old: was.type_name.clone(),
            new: now.type_name.clone(),
        });
    }
    if same_type && was.relation != now.relation {
        push(ChangeKind::RelationChanged {
            old: was.relation.clone(),
            new: now.relation.clone(),
        });
    }
    if same_type && was.relation_field != now.relation_field {
        push(ChangeKind::InverseChanged {
            old: was.relation_field.clone(),
            new: now.relation_field.clone(),
        });
    }
    match (was.required, now.required) {
        (false, true) => push(ChangeKind::BecameRequired),
        (true, false) => push(ChangeKind::NoLongerRequired),
        _ => {}
    }
    if same_type {
        selection(was, now, &mut push);
    }
    if was.string != now.string {
        push(ChangeKind::LabelChanged {
            old: was.string.clone(),
            new: now.string.clone(),
        });
    }
    if was.help != now.help {
        push(ChangeKind::HelpChanged {
            old: was.help.clone(),
            new: now.help.clone(),
        });
    }
    if was.readonly != now.readonly {
        push(ChangeKind::ReadonlyChanged {
            old: was.readonly,
            new: now.readonly,
        });
    }
}

/// Selection keys removed, then relabelled, in the snapshot's order; then keys added, in the
/// server's order. A missing `selection` counts as no keys.
fn selection(was: &FieldSpec, now: &FieldSpec, push: &mut impl FnMut(ChangeKind)) {
    let none = Vec::new();
    let was = was.selection.as_ref().unwrap_or(&none);
    let now = now.selection.as_ref().unwrap_or(&none);
    let label = |pairs: &[(SelectionKey, String)], key: &SelectionKey| {
        pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, label)| label.clone())
    };
    for (key, old) in was {
        match label(now, key) {
            None => push(ChangeKind::SelectionKeyRemoved { key: key.clone() }),
            Some(new) if &new != old => push(ChangeKind::SelectionLabelChanged {
                key: key.clone(),
                old: old.clone(),
                new,
            }),
            Some(_) => {}
        }
    }
    for (key, _) in now {
        if label(was, key).is_none() {
            push(ChangeKind::SelectionKeyAdded { key: key.clone() });
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::snapshot::{FORMAT_VERSION, PulledBy};

    fn spec(type_name: &str) -> FieldSpec {
        FieldSpec {
            help: None,
            readonly: false,
            relation: None,
            relation_field: None,
            required: false,
            selection: None,
            string: "Label".into(),
            type_name: type_name.into(),
        }
    }

    fn lead() -> Snapshot {
        let mut fields = BTreeMap::new();
        fields.insert(
            "name".to_owned(),
            FieldSpec {
                required: true,
                ..spec("char")
            },
        );
        fields.insert("email_from".to_owned(), spec("char"));
        fields.insert(
            "partner_id".to_owned(),
            FieldSpec {
                relation: Some("res.partner".into()),
                ..spec("many2one")
            },
        );
        fields.insert(
            "tag_ids".to_owned(),
            FieldSpec {
                relation: Some("crm.tag".into()),
                ..spec("many2many")
            },
        );
        fields.insert(
            "priority".to_owned(),
            FieldSpec {
                selection: Some(vec![
                    ("0".into(), "Low".into()),
                    ("1".into(), "Medium".into()),
                ]),
                ..spec("selection")
            },
        );
        Snapshot {
            description: None,
            fields,
            format: FORMAT_VERSION,
            model: "crm.lead".into(),
            pulled_by: PulledBy {
                database: "demo".into(),
                login: "admin".into(),
                uid: 2,
            },
            server_version: "17.0".into(),
        }
    }

    /// The report lines and breaking flags of the changes from `lead()` to `edit(lead())`.
    fn changes(edit: impl FnOnce(&mut Snapshot)) -> Vec<(String, bool)> {
        let committed = lead();
        let mut live = lead();
        edit(&mut live);
        diff(&committed, Some(&live))
            .into_iter()
            .map(|c| (c.to_string(), c.is_breaking()))
            .collect()
    }

    fn field_of<'a>(s: &'a mut Snapshot, name: &str) -> &'a mut FieldSpec {
        s.fields.get_mut(name).unwrap()
    }

    fn one(line: &str, breaking: bool) -> Vec<(String, bool)> {
        vec![(line.to_owned(), breaking)]
    }

    #[test]
    fn the_same_schema_has_no_changes() {
        assert_eq!(changes(|_| {}), []);
        // Who pulled it and from which server version are not the schema.
        assert_eq!(
            changes(|s| {
                s.pulled_by.login = "demo".into();
                s.server_version = "18.0".into();
                s.description = Some("Lead".into());
            }),
            []
        );
    }

    #[test]
    fn a_removed_model_breaks() {
        let changes = diff(&lead(), None);
        assert_eq!(
            changes,
            [Change::new("crm.lead", None, ChangeKind::ModelRemoved)]
        );
        assert_eq!(changes[0].to_string(), "crm.lead: model removed");
        assert!(changes[0].is_breaking());
    }

    #[test]
    fn an_added_field_is_safe() {
        let got = changes(|s| {
            s.fields.insert("zzz".into(), spec("integer"));
            s.fields.insert("aaa".into(), spec("char"));
        });
        assert_eq!(
            got,
            [
                ("crm.lead.aaa: field added (char)".to_owned(), false),
                ("crm.lead.zzz: field added (integer)".to_owned(), false),
            ]
        );
    }

    #[test]
    fn a_removed_field_breaks() {
        assert_eq!(
            changes(|s| {
                s.fields.remove("email_from");
            }),
            one("crm.lead.email_from: field removed (was char)", true)
        );
        assert_eq!(
            changes(|s| {
                s.fields.remove("tag_ids");
            }),
            one("crm.lead.tag_ids: field removed (was many2many)", true)
        );
    }

    #[test]
    fn added_and_removed_fields_interleave_in_name_order() {
        let got = changes(|s| {
            s.fields.remove("name");
            s.fields.insert("b".into(), spec("char"));
            s.fields.insert("zz".into(), spec("char"));
        });
        let lines: Vec<&str> = got.iter().map(|(l, _)| l.as_str()).collect();
        assert_eq!(
            lines,
            [
                "crm.lead.b: field added (char)",
                "crm.lead.name: field removed (was char)",
                "crm.lead.zz: field added (char)",
            ]
        );
    }

    #[test]
    fn a_changed_type_breaks_and_hides_what_follows_from_it() {
        assert_eq!(
            changes(|s| field_of(s, "email_from").type_name = "text".into()),
            one("crm.lead.email_from: type char -> text", true)
        );
        // selection -> char: the keys going away are the type change, not news of their own.
        assert_eq!(
            changes(|s| {
                let f = field_of(s, "priority");
                f.type_name = "char".into();
                f.selection = None;
            }),
            one("crm.lead.priority: type selection -> char", true)
        );
        // many2one -> many2many: the same for the relation.
        assert_eq!(
            changes(|s| {
                let f = field_of(s, "partner_id");
                f.type_name = "many2many".into();
                f.relation = Some("res.users".into());
            }),
            one("crm.lead.partner_id: type many2one -> many2many", true)
        );
    }

    #[test]
    fn a_changed_relation_breaks() {
        assert_eq!(
            changes(|s| field_of(s, "partner_id").relation = Some("res.users".into())),
            one(
                "crm.lead.partner_id: relation res.partner -> res.users",
                true
            )
        );
        assert_eq!(
            changes(|s| field_of(s, "partner_id").relation = None),
            one("crm.lead.partner_id: relation res.partner -> (none)", true)
        );
    }

    #[test]
    fn a_changed_inverse_is_safe() {
        assert_eq!(
            changes(|s| field_of(s, "tag_ids").relation_field = Some("lead_id".into())),
            one(
                r#"crm.lead.tag_ids: inverse field (none) -> "lead_id""#,
                false
            )
        );
    }

    #[test]
    fn becoming_required_breaks_and_no_longer_required_is_safe() {
        assert_eq!(
            changes(|s| field_of(s, "email_from").required = true),
            one("crm.lead.email_from: became required", true)
        );
        assert_eq!(
            changes(|s| field_of(s, "name").required = false),
            one("crm.lead.name: no longer required", false)
        );
    }

    #[test]
    fn an_added_selection_key_breaks() {
        assert_eq!(
            changes(|s| {
                let keys = field_of(s, "priority").selection.as_mut().unwrap();
                keys.push(("4".into(), "Top".into()));
            }),
            one(r#"crm.lead.priority: selection key "4" added"#, true)
        );
    }

    #[test]
    fn a_removed_selection_key_breaks() {
        assert_eq!(
            changes(|s| {
                field_of(s, "priority")
                    .selection
                    .as_mut()
                    .unwrap()
                    .remove(0);
            }),
            one(r#"crm.lead.priority: selection key "0" removed"#, true)
        );
        // No `selection` at all reads as no keys.
        assert_eq!(
            changes(|s| field_of(s, "priority").selection = None),
            [
                (
                    r#"crm.lead.priority: selection key "0" removed"#.to_owned(),
                    true
                ),
                (
                    r#"crm.lead.priority: selection key "1" removed"#.to_owned(),
                    true
                ),
            ]
        );
    }

    #[test]
    fn a_relabelled_selection_key_is_safe() {
        assert_eq!(
            changes(|s| field_of(s, "priority").selection.as_mut().unwrap()[1].1 = "Normal".into()),
            one(
                r#"crm.lead.priority: selection key "1" label "Medium" -> "Normal""#,
                false
            )
        );
        // Reordered keys are the same enum.
        assert_eq!(
            changes(|s| field_of(s, "priority")
                .selection
                .as_mut()
                .unwrap()
                .reverse()),
            []
        );
    }

    #[test]
    fn label_help_and_readonly_changes_are_safe() {
        assert_eq!(
            changes(|s| field_of(s, "partner_id").string = "Client".into()),
            one(r#"crm.lead.partner_id: label "Label" -> "Client""#, false)
        );
        assert_eq!(
            changes(|s| field_of(s, "partner_id").help = Some("Who \"buys\"".into())),
            one(
                r#"crm.lead.partner_id: help (none) -> "Who \"buys\"""#,
                false
            )
        );
        assert_eq!(
            changes(|s| field_of(s, "name").readonly = true),
            one("crm.lead.name: became read-only", false)
        );
        let mut committed = lead();
        field_of(&mut committed, "name").readonly = true;
        let changes = diff(&committed, Some(&lead()));
        assert_eq!(changes[0].to_string(), "crm.lead.name: no longer read-only");
        assert!(!changes[0].is_breaking());
    }

    #[test]
    fn one_field_reports_each_change_in_a_fixed_order() {
        let got = changes(|s| {
            let f = field_of(s, "email_from");
            f.required = true;
            f.string = "E-mail".into();
            f.readonly = true;
        });
        assert_eq!(
            got,
            [
                ("crm.lead.email_from: became required".to_owned(), true),
                (
                    r#"crm.lead.email_from: label "Label" -> "E-mail""#.to_owned(),
                    false
                ),
                ("crm.lead.email_from: became read-only".to_owned(), false),
            ]
        );
    }
}
