//! The demo data set every database starts with.
//!
//! Ids line up with the recorded Odoo 17 database (`tests/fixtures/odoo-17`): users `admin` (2)
//! and `demo` (6), partners 1-40 (companies 1, 9, 10, ... ; Deco Addict is 10), stages 1-4, tags
//! 1-8 and leads 1-44, so the next lead created is 45, the next partner 41, the next tag 9, as in
//! the recording, and recorded requests replay without rewriting ids. The records themselves are
//! a small, plausible CRM: what matters is their shape (which fields are set), not the values.
//!
//! The leads belong to two salespeople, `admin` and `demo`, and a few to no one, so that demo's
//! "own documents only" record rule has records to hide and unassigned ones to show.

use taskflow_sdk::xmlrpc::Value;

use crate::store::{Database, Record};

/// The administrator's user id.
pub const ADMIN_UID: i64 = 2;
/// The demo user's id in the recorded Odoo 17 database (and in TaskFlow mode); the recorded
/// Odoo 19 database has demo as uid 5 ([`Mode::demo_uid`](crate::Mode::demo_uid)).
pub const DEMO_UID: i64 = 6;

fn put(db: &mut Database, model: &str, id: i64, values: &[(&str, Value)], now: &str) {
    let Some(m) = db.model(model) else { return };
    let mut rec = Record::default();
    for (name, value) in values {
        if let Some(idx) = m.field_index(name) {
            rec.set(idx, Some(value.clone()));
        }
    }
    // `active` defaults to true as on create: a seeded record left without it would be archived.
    for (name, value) in [
        ("active", Value::Bool(true)),
        ("create_uid", Value::Int(1)),
        ("write_uid", Value::Int(1)),
        ("create_date", Value::from(now)),
        ("write_date", Value::from(now)),
    ] {
        if let Some(idx) = m.field_index(name) {
            if rec.get(idx).is_none() {
                rec.set(idx, Some(value));
            }
        }
    }
    db.insert_with_id(model, id, rec);
}

fn s(v: &str) -> Value {
    Value::from(v)
}

fn ids(v: &[i64]) -> Value {
    Value::Array(v.iter().copied().map(Value::Int).collect())
}

/// Partners 16-40: `(id, name, parent company or 0)`.
const CONTACTS: &[(i64, &str, i64)] = &[
    (16, "Willie Burke", 9),
    (17, "Ron Gibson", 9),
    (18, "Douglas Fletcher", 10),
    (19, "Floyd Steward", 10),
    (20, "Edwin Hansen", 11),
    (21, "Jesse Brown", 11),
    (22, "Soham Palmer", 11),
    (23, "Oscar Morgan", 12),
    (24, "Kim Snyder", 12),
    (25, "Tom Ruiz", 13),
    (26, "Brandon Freeman", 14),
    (27, "Colleen Diaz", 14),
    (28, "Nicole Ford", 14),
    (29, "Kevin Clarke", 15),
    (30, "Travis Mendoza", 0),
    (31, "Billy Fox", 0),
    (32, "Lorraine Douglas", 9),
    (33, "Addison Olson", 0),
    (34, "Sandra Neal", 0),
    (35, "Julie Richards", 10),
    (36, "Chester Reed", 0),
    (37, "Toni Jimenez", 0),
    (38, "Bill Hanson", 0),
    (39, "Jeff Lawson", 1),
    (40, "Lucille Camarero", 1),
];

/// Companies: `(id, name, email, xml id)`.
const COMPANIES: &[(i64, &str, &str, &str)] = &[
    (
        9,
        "Wood Corner",
        "wood.corner26@example.com",
        "res_partner_1",
    ),
    (
        10,
        "Deco Addict",
        "deco.addict82@example.com",
        "res_partner_2",
    ),
    (
        11,
        "Gemini Furniture",
        "gemini.furniture39@example.com",
        "res_partner_3",
    ),
    (12, "Ready Mat", "ready.mat28@example.com", "res_partner_4"),
    (
        13,
        "The Jackson Group",
        "jackson.group82@example.com",
        "res_partner_10",
    ),
    (
        14,
        "Azure Interior",
        "azure.Interior24@example.com",
        "res_partner_12",
    ),
    (
        15,
        "Lumber Inc",
        "lumber-inv92@example.com",
        "res_partner_18",
    ),
];

/// A seeded lead.
struct Lead {
    id: i64,
    name: &'static str,
    opportunity: bool,
    partner: i64,
    stage: i64,
    revenue: f64,
    tags: &'static [i64],
    email: bool,
    deadline: &'static str,
    /// The salesperson's user id; 0 for none.
    user: i64,
    priority: &'static str,
    active: bool,
}

#[allow(clippy::too_many_arguments)] // a table row: positional reads best
const fn lead(
    id: i64,
    name: &'static str,
    opportunity: bool,
    partner: i64,
    stage: i64,
    revenue: f64,
    tags: &'static [i64],
    email: bool,
    deadline: &'static str,
    user: i64,
) -> Lead {
    Lead {
        id,
        name,
        opportunity,
        partner,
        stage,
        revenue,
        tags,
        email,
        deadline,
        user,
        priority: "1",
        active: true,
    }
}

const fn archived(mut l: Lead) -> Lead {
    l.active = false;
    l
}

const fn priority(mut l: Lead, p: &'static str) -> Lead {
    l.priority = p;
    l
}

const O: bool = true;
const L: bool = false;

#[rustfmt::skip] // one lead per line reads as the table it is
const LEADS: &[Lead] = &[
    lead(1, "Club Office Furnitures", O, 12, 1, 19800.0, &[1, 5], true, "2026-12-20", 2),
    lead(2, "Quote for 12 Tables", O, 13, 2, 40000.0, &[1], true, "2027-01-10", 2),
    lead(3, "Modern Open Space", O, 14, 3, 4500.0, &[2, 5], true, "2027-01-05", 6),
    lead(4, "Office Design and Architecture", O, 11, 2, 9000.0, &[5], true, "2026-12-15", 2),
    lead(5, "Design Software", O, 15, 3, 24000.0, &[1, 2], true, "2027-01-20", 6),
    lead(6, "Furnitures for new location", L, 0, 1, 0.0, &[6], true, "", 2),
    lead(7, "Need 20 Desks", L, 0, 1, 0.0, &[3], true, "", 6),
    priority(lead(8, "Distributor Contract", O, 9, 4, 19800.0, &[4], false, "", 2), "2"),
    archived(lead(9, "Reseller: Office furnitures", L, 11, 1, 0.0, &[], true, "", 2)),
    lead(10, "Pricing for 25 Desks", O, 12, 1, 5600.0, &[1], true, "2027-02-01", 2),
    archived(lead(11, "Estimation for Office Furnitures", L, 0, 1, 0.0, &[], true, "", 2)),
    archived(lead(12, "Quotation for 100 Desks", L, 0, 1, 0.0, &[], true, "", 6)),
    lead(13, "Global Solutions: Furnitures", O, 13, 3, 35000.0, &[1, 8], true, "2026-12-28", 2),
    lead(14, "Office Design Project", O, 10, 1, 24000.0, &[2], true, "2027-01-15", 2),
    lead(15, "Info about services", O, 10, 2, 25000.0, &[1, 3], true, "2027-01-18", 6),
    lead(16, "Need a Website Design", L, 0, 1, 0.0, &[5], true, "", 2),
    lead(17, "Customizable Desk", O, 9, 4, 3800.0, &[2], true, "2026-12-02", 6),
    lead(18, "Quote for 150 Desks", O, 11, 2, 32000.0, &[6], true, "2027-02-12", 2),
    lead(19, "Open Space Furnitures", O, 14, 3, 12000.0, &[1], true, "2027-01-25", 6),
    lead(20, "Office chairs", L, 0, 1, 0.0, &[7], false, "", 0),
    lead(21, "Potential Distributor", L, 0, 1, 0.0, &[4], true, "", 6),
    lead(22, "Plan to buy RedHat", L, 0, 1, 0.0, &[8], true, "", 2),
    lead(23, "Need a Projector", L, 0, 1, 0.0, &[7], true, "", 6),
    lead(24, "Interest in your Kanban", L, 0, 1, 0.0, &[2], true, "", 2),
    lead(25, "Branded Office Chairs", L, 0, 1, 0.0, &[3], true, "", 6),
    lead(26, "Open Space Design", O, 10, 3, 11000.0, &[2], true, "", 6),
    lead(27, "Interest in your products", O, 10, 4, 2000.0, &[2], true, "2026-11-30", 6),
    lead(28, "Send a quote", L, 0, 1, 0.0, &[8], true, "", 2),
    lead(29, "Need info about pricing", L, 0, 1, 0.0, &[6], true, "", 6),
    lead(30, "Furniture catalogue", L, 0, 1, 0.0, &[3], true, "", 0),
    lead(31, "Quote for 150 carpets", O, 0, 1, 40000.0, &[1], true, "2026-12-30", 2),
    lead(32, "Quote for 600 Chairs", O, 0, 2, 22500.0, &[1], true, "2027-01-30", 2),
    lead(33, "Conference tables", L, 0, 1, 0.0, &[4], true, "", 6),
    lead(34, "Storage cabinets", L, 0, 1, 0.0, &[5], true, "", 2),
    lead(35, "Question about delivery", L, 0, 1, 0.0, &[7], true, "", 6),
    lead(36, "Ergonomic assessment", L, 0, 1, 0.0, &[6], true, "", 2),
    lead(37, "Reception desk", L, 0, 1, 0.0, &[3], true, "", 6),
    lead(38, "Acoustic panels", L, 0, 1, 0.0, &[8], true, "", 2),
    lead(39, "Training room setup", L, 0, 1, 0.0, &[6], true, "", 6),
    lead(40, "Meeting room chairs", L, 0, 1, 0.0, &[3], true, "", 2),
    lead(41, "Lighting for open space", L, 0, 1, 0.0, &[5], true, "", 6),
    lead(42, "Standing desks", L, 0, 1, 0.0, &[2], true, "", 2),
    lead(43, "Lockers for staff", L, 0, 1, 0.0, &[7], true, "", 6),
    lead(44, "Outdoor furniture", L, 0, 1, 0.0, &[4], true, "", 0),
];

/// The docstring most models show as their `info` (140).
const MODEL_INFO: &str = " Main super-class for regular database-persisted Odoo models.\n\n    Odoo models are created by inheriting from this class::\n\n        class user(Model):\n            ...\n\n    The system will later instantiate the class once per database (on\n    which the class' module is installed).\n    ";

/// `ir.model` records: `(model, id, modules, info)`. The first six as recorded (140); the others
/// with ids that are free in the recorded registry.
#[rustfmt::skip] // a table
const MODELS: &[(&str, i64, &str, &str)] = &[
    ("crm.lead", 393, "crm, crm_iap_enrich, crm_iap_mine, iap_crm", " Main super-class for regular database-persisted Odoo models.\n\n    Odoo models are created by inheriting from this class::\n\n        class user(Model):\n            ...\n\n    The system will later instantiate the class once per database (on\n    which the class' module is installed).\n    "),
    ("crm.stage", 392, "crm", " Model for case stages. This models the main stages of a document\n        management flow. Main CRM objects (leads, opportunities, project\n        issues, ...) will now use only stages, instead of state and stages.\n        Stages are for example used to display the kanban view of records.\n    "),
    ("crm.tag", 369, "sales_team", " Main super-class for regular database-persisted Odoo models.\n\n    Odoo models are created by inheriting from this class::\n\n        class user(Model):\n            ...\n\n    The system will later instantiate the class once per database (on\n    which the class' module is installed).\n    "),
    ("ir.model.data", 10, "base", "Holds external identifier keys for records in the database.\n       This has two main uses:\n\n           * allows easy data integration with third-party systems,\n             making import/export/sync of data possible, as records\n             can be uniquely identified across multiple systems\n           * allows tracking the origin of data installed by Odoo\n             modules themselves, thus making it possible to later\n             update them seamlessly.\n    "),
    ("res.partner", 85, "auth_signup, base, bus, calendar, crm, mail, partner_autocomplete, phone_validation, portal, privacy_lookup, sales_team, sms, snailmail, web", " Purpose of this mixin is to offer two services\n\n      * compute a sanitized phone number based on _phone_get_number_fields.\n        It takes first sanitized value, trying each field returned by the\n        method (see ``BaseModel._phone_get_number_fields()´´ for more details\n        about the usage of this method);\n      * compute blacklist state of records. It is based on phone.blacklist\n        model and give an easy-to-use field and API to manipulate blacklisted\n        records;\n\n    Main API methods\n\n      * ``_phone_set_blacklisted``: set recordset as blacklisted;\n      * ``_phone_reset_blacklisted``: reactivate recordset (even if not blacklisted\n        this method can be called safely);\n    "),
    ("res.users", 97, "auth_signup, auth_totp, auth_totp_mail, auth_totp_portal, base, base_import, base_setup, bus, calendar, contacts, crm, digest, mail, mail_bot, phone_validation, resource, sales_team, web, web_unsplash", " Update of res.users class\n        - add a preference about sending emails about notifications\n        - make a new user follow itself\n        - add a welcome message\n        - add suggestion preference\n    "),
    ("ir.model", 1, "base", MODEL_INFO),
    ("ir.config_parameter", 26, "base", MODEL_INFO),
    ("res.country", 60, "base", MODEL_INFO),
    ("res.currency", 67, "base", MODEL_INFO),
    ("res.company", 86, "base", MODEL_INFO),
    ("crm.team", 366, "crm, sales_team", MODEL_INFO),
    ("crm.lost.reason", 395, "crm", MODEL_INFO),
];

/// The model registry as `ir.model` records: one per model the server has.
fn seed_models(db: &mut Database, now: &str) {
    let mut names: Vec<String> = db.registry.names().map(str::to_owned).collect();
    names.sort();
    let mut next_free = MODELS.iter().map(|m| m.1).max().unwrap_or(0) + 1;
    for name in names {
        let Some(model) = db.model(&name) else {
            continue;
        };
        let (id, modules, info) = match MODELS.iter().find(|m| m.0 == name) {
            Some(&(_, id, modules, info)) => (id, modules, info),
            None => {
                next_free += 1;
                (next_free - 1, "base", MODEL_INFO)
            }
        };
        let order = model
            .order
            .iter()
            .map(|(field, desc)| {
                if *desc {
                    format!("{field} desc")
                } else {
                    field.clone()
                }
            })
            .collect::<Vec<_>>()
            .join(", ");
        put(
            db,
            "ir.model",
            id,
            &[
                ("model", s(&name)),
                ("name", s(&model.description)),
                ("order", Value::String(order)),
                ("info", s(info)),
                ("modules", s(modules)),
                ("state", s("base")),
                ("transient", Value::Bool(false)),
            ],
            now,
        );
    }
}

/// Fills an empty database with the demo data set, the demo user as uid [`DEMO_UID`].
#[cfg(test)]
pub fn seed(db: &mut Database) {
    seed_with(db, DEMO_UID);
}

/// Fills an empty database with the demo data set, the demo user (and the leads they own) as
/// uid `demo_uid`: recorded databases of different versions number demo differently.
pub fn seed_with(db: &mut Database, demo_uid: i64) {
    let now = crate::clock::now();
    let now = now.as_str();
    put(
        db,
        "res.currency",
        1,
        &[("name", s("USD")), ("symbol", s("$"))],
        now,
    );
    put(
        db,
        "res.currency",
        2,
        &[("name", s("EUR")), ("symbol", s("€"))],
        now,
    );
    put(
        db,
        "res.currency",
        3,
        &[("name", s("ZAR")), ("symbol", s("R"))],
        now,
    );
    put(
        db,
        "res.country",
        21,
        &[("name", s("Belgium")), ("code", s("BE"))],
        now,
    );
    put(
        db,
        "res.country",
        197,
        &[("name", s("South Africa")), ("code", s("ZA"))],
        now,
    );
    put(
        db,
        "res.country",
        233,
        &[("name", s("United States")), ("code", s("US"))],
        now,
    );
    put(
        db,
        "res.company",
        1,
        &[
            ("name", s("YourCompany")),
            ("partner_id", Value::Int(1)),
            ("currency_id", Value::Int(1)),
        ],
        now,
    );
    put(
        db,
        "crm.team",
        1,
        &[
            ("name", s("Sales")),
            ("company_id", Value::Int(1)),
            ("user_id", Value::Int(2)),
        ],
        now,
    );
    for (id, name) in [
        (1, "Too expensive"),
        (2, "We don't have people/skills"),
        (3, "Not enough stock"),
    ] {
        put(db, "crm.lost.reason", id, &[("name", s(name))], now);
    }
    put(
        db,
        "ir.config_parameter",
        1,
        &[
            ("key", s("web.base.url")),
            ("value", s("http://127.0.0.1:8069")),
        ],
        now,
    );

    // Partners.
    fn partner(name: &str, extra: &[(&'static str, Value)]) -> Vec<(&'static str, Value)> {
        let mut v = vec![
            ("name", s(name)),
            ("active", Value::Bool(true)),
            ("type", s("contact")),
            ("lang", s("en_US")),
            ("company_type", s("person")),
        ];
        v.extend(extra.iter().cloned());
        v
    }
    let company = |name: &str, email: &str| {
        partner(
            name,
            &[
                ("is_company", Value::Bool(true)),
                ("company_type", s("company")),
                ("email", s(email)),
                ("country_id", Value::Int(233)),
                ("street", s("250 Executive Park Blvd, Suite 3400")),
                ("city", s("San Francisco")),
                ("zip", s("94134")),
            ],
        )
    };
    put(
        db,
        "res.partner",
        1,
        &company("YourCompany", "info@yourcompany.com"),
        now,
    );
    put(
        db,
        "res.partner",
        2,
        &partner("OdooBot", &[("email", s("odoobot@example.com"))]),
        now,
    );
    put(
        db,
        "res.partner",
        3,
        &partner(
            "Mitchell Admin",
            &[
                ("email", s("admin@yourcompany.example.com")),
                ("country_id", Value::Int(233)),
            ],
        ),
        now,
    );
    put(
        db,
        "res.partner",
        4,
        &partner("Public user", &[("active", Value::Bool(false))]),
        now,
    );
    put(
        db,
        "res.partner",
        5,
        &partner("Default User Template", &[("active", Value::Bool(false))]),
        now,
    );
    put(
        db,
        "res.partner",
        6,
        &partner("Portal User Template", &[("active", Value::Bool(false))]),
        now,
    );
    put(
        db,
        "res.partner",
        7,
        &partner(
            "Marc Demo",
            &[
                ("email", s("mark.brown23@example.com")),
                ("country_id", Value::Int(233)),
            ],
        ),
        now,
    );
    put(
        db,
        "res.partner",
        8,
        &partner("Joel Willis", &[("email", s("joel.willis63@example.com"))]),
        now,
    );
    for &(id, name, email, _) in COMPANIES {
        put(db, "res.partner", id, &company(name, email), now);
    }
    for &(id, name, parent) in CONTACTS {
        let email = format!("{}@example.com", name.to_lowercase().replace(' ', "."));
        let mut extra = vec![("email", Value::String(email))];
        if parent != 0 {
            extra.push(("parent_id", Value::Int(parent)));
            extra.push(("country_id", Value::Int(233)));
        }
        put(db, "res.partner", id, &partner(name, &extra), now);
    }

    // Users: the superuser (archived, cannot log in), the administrator and the demo user.
    let user = |login: &str, name: &str, partner: i64, active: bool| {
        vec![
            ("login", s(login)),
            ("name", s(name)),
            ("partner_id", Value::Int(partner)),
            ("company_id", Value::Int(1)),
            ("active", Value::Bool(active)),
            ("notification_type", s("email")),
            ("lang", s("en_US")),
            ("tz", s("UTC")),
        ]
    };
    put(
        db,
        "res.users",
        1,
        &user("__system__", "OdooBot", 2, false),
        now,
    );
    put(
        db,
        "res.users",
        ADMIN_UID,
        &user("admin", "Mitchell Admin", 3, true),
        now,
    );
    put(
        db,
        "res.users",
        demo_uid,
        &user("demo", "Marc Demo", 7, true),
        now,
    );
    db.passwords.insert(ADMIN_UID, "admin".to_owned());
    db.passwords.insert(demo_uid, "demo".to_owned());
    db.admins.extend([1, ADMIN_UID]);

    // The pipeline.
    for (id, name, sequence, won) in [
        (1, "New", 1, false),
        (2, "Qualified", 2, false),
        (3, "Proposition", 3, false),
        (4, "Won", 70, true),
    ] {
        put(
            db,
            "crm.stage",
            id,
            &[
                ("name", s(name)),
                ("sequence", Value::Int(sequence)),
                ("is_won", Value::Bool(won)),
                ("fold", Value::Bool(false)),
            ],
            now,
        );
    }
    for (id, name) in [
        (1, "Product"),
        (2, "Software"),
        (3, "Services"),
        (4, "Information"),
        (5, "Design"),
        (6, "Training"),
        (7, "Consulting"),
        (8, "Other"),
    ] {
        put(
            db,
            "crm.tag",
            id,
            &[("name", s(name)), ("color", Value::Int(id))],
            now,
        );
    }
    for l in LEADS {
        let mut v = vec![
            ("name", s(l.name)),
            (
                "type",
                s(if l.opportunity { "opportunity" } else { "lead" }),
            ),
            ("stage_id", Value::Int(l.stage)),
            ("expected_revenue", Value::Double(l.revenue)),
            ("team_id", Value::Int(1)),
            ("company_id", Value::Int(1)),
            ("priority", s(l.priority)),
            ("active", Value::Bool(l.active)),
            ("kanban_state", s("grey")),
            ("date_open", s(now)),
            ("date_last_stage_update", s(now)),
            (
                "probability",
                Value::Double(if !l.active {
                    0.0
                } else if l.stage == 4 {
                    100.0
                } else {
                    10.0 * l.stage as f64
                }),
            ),
        ];
        if l.user != 0 {
            let user = if l.user == DEMO_UID { demo_uid } else { l.user };
            v.push(("user_id", Value::Int(user)));
        }
        if !l.tags.is_empty() {
            v.push(("tag_ids", ids(l.tags)));
        }
        if l.partner != 0 {
            v.push(("partner_id", Value::Int(l.partner)));
            v.push(("country_id", Value::Int(233)));
        }
        if l.email {
            v.push((
                "email_from",
                Value::String(format!("contact{}@example.com", l.id)),
            ));
        }
        if !l.deadline.is_empty() {
            v.push(("date_deadline", s(l.deadline)));
        }
        put(db, "crm.lead", l.id, &v, now);
    }

    // External ids the recorded imports refer to (`base.res_partner_2`, ...).
    let mut xmlids: Vec<(&str, String, &str, i64)> = vec![
        ("base", "main_partner".into(), "res.partner", 1),
        ("base", "main_company".into(), "res.company", 1),
        ("base", "partner_root".into(), "res.partner", 2),
        ("base", "partner_admin".into(), "res.partner", 3),
        ("base", "partner_demo".into(), "res.partner", 7),
        ("base", "user_root".into(), "res.users", 1),
        ("base", "user_admin".into(), "res.users", ADMIN_UID),
        ("base", "user_demo".into(), "res.users", demo_uid),
        ("base", "USD".into(), "res.currency", 1),
        ("base", "EUR".into(), "res.currency", 2),
        ("base", "ZAR".into(), "res.currency", 3),
        ("base", "be".into(), "res.country", 21),
        ("base", "za".into(), "res.country", 197),
        ("base", "us".into(), "res.country", 233),
        ("sales_team", "team_sales_department".into(), "crm.team", 1),
    ];
    for &(id, _, _, xmlid) in COMPANIES {
        xmlids.push(("base", xmlid.into(), "res.partner", id));
    }
    for id in 1..=4 {
        xmlids.push(("crm", format!("stage_lead{id}"), "crm.stage", id));
    }
    for id in 1..=8 {
        xmlids.push(("crm", format!("categ_oppor{id}"), "crm.tag", id));
    }
    for (module, name, model, res_id) in xmlids {
        db.add_xmlid(module, &name, model, res_id, now);
    }
    seed_models(db, now);
}
