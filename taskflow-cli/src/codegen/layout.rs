//! Where each model goes: its module (`crm_lead`) and struct (`CrmLead`), unique across the
//! generated set, so relations can name each other.

use std::collections::{BTreeMap, BTreeSet};

use super::names;

/// A model's module and struct.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Place {
    pub(super) module: String,
    pub(super) ident: String,
}

/// The places of every generated model, by model name.
#[derive(Debug)]
pub(super) struct Layout(BTreeMap<String, Place>);

impl Layout {
    /// Places `models`. Names are given in model-name order whatever the input order, so when
    /// two models map to the same name (`crm.lead` and `crm_lead`), the first by model name
    /// keeps it and the next takes `crm_lead_2` / `CrmLead2`.
    pub(super) fn new<'a>(models: impl IntoIterator<Item = &'a str>) -> Layout {
        let sorted: BTreeSet<&str> = models.into_iter().collect();
        let mut modules = BTreeSet::new();
        let mut idents = BTreeSet::new();
        let mut places = BTreeMap::new();
        for model in sorted {
            let module = names::unique_snake(&names::module_ident(model), |c| !modules.contains(c));
            let ident = names::unique_camel(names::struct_ident(model), &idents);
            modules.insert(module.clone());
            idents.insert(ident.clone());
            places.insert(model.to_owned(), Place { module, ident });
        }
        Layout(places)
    }

    /// The place of `model`, when it is generated.
    pub(super) fn get(&self, model: &str) -> Option<&Place> {
        self.0.get(model)
    }

    /// Every place, in model-name order.
    pub(super) fn iter(&self) -> impl Iterator<Item = (&str, &Place)> {
        self.0.iter().map(|(m, p)| (m.as_str(), p))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colliding_models_are_told_apart_by_model_name_order() {
        let layout = Layout::new(["crm_lead", "res.partner.category", "crm.lead", "self"]);
        let place = |m: &str| {
            let p = layout.get(m).unwrap();
            (p.module.as_str(), p.ident.as_str())
        };
        assert_eq!(place("crm.lead"), ("crm_lead", "CrmLead"));
        assert_eq!(place("crm_lead"), ("crm_lead_2", "CrmLead2"));
        assert_eq!(
            place("res.partner.category"),
            ("res_partner_category", "ResPartnerCategory")
        );
        assert_eq!(place("self"), ("self_", "SelfModel"));
        assert!(layout.get("res.partner").is_none());
    }
}
