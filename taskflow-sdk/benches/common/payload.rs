//! Payloads for the codec benches, generated at run time (never committed: ~130 MB).
//!
//! The `search_read` response is written the way Python's `xmlrpc.client.dumps` writes it (a
//! newline after each element, as in `tests/fixtures/odoo-17/023-crm-lead-read.response.xml`),
//! record by record from [`make_lead`]. `benches/python_baseline.py` builds the very same bytes
//! with `dumps` (`--records N --out F`), which keeps the two generators honest.

// Shared by the `codec` and `codec_memory` benches; each uses a part.
#![allow(dead_code)]

use std::fmt::Write as _;

use quick_xml::Reader;
use quick_xml::events::Event;
use serde::Deserialize;

/// Records in the `search_read` response and rows in the `load` call.
pub const RECORDS: usize = 50_000;

/// A `crm.lead` as a typed `search_read` target: plain fields, `false`-able ones as `Option`,
/// many2one pairs as tuples, many2many ids as a `Vec`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Lead {
    pub id: i64,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub partner_id: Option<(i64, String)>,
    pub user_id: Option<(i64, String)>,
    pub team_id: Option<(i64, String)>,
    pub stage_id: (i64, String),
    pub tag_ids: Vec<i64>,
    pub email_from: Option<String>,
    pub phone: Option<String>,
    pub expected_revenue: f64,
    pub probability: f64,
    pub priority: String,
    pub date_deadline: Option<String>,
    pub create_date: String,
    pub write_date: String,
    pub date_closed: Option<String>,
    pub active: bool,
    pub description: Option<String>,
    pub lost_reason_id: Option<(i64, String)>,
    pub company_id: Option<(i64, String)>,
    pub contact_name: Option<String>,
    pub country_id: Option<(i64, String)>,
    pub display_name: String,
}

impl Lead {
    /// Heap bytes owned by this record (string and vector capacities), not counting itself.
    pub fn heap_bytes(&self) -> usize {
        let pair = |p: &Option<(i64, String)>| p.as_ref().map_or(0, |(_, s)| s.capacity());
        let opt = |s: &Option<String>| s.as_ref().map_or(0, String::capacity);
        self.name.capacity()
            + self.kind.capacity()
            + pair(&self.partner_id)
            + pair(&self.user_id)
            + pair(&self.team_id)
            + self.stage_id.1.capacity()
            + self.tag_ids.capacity() * size_of::<i64>()
            + opt(&self.email_from)
            + opt(&self.phone)
            + self.priority.capacity()
            + opt(&self.date_deadline)
            + self.create_date.capacity()
            + self.write_date.capacity()
            + opt(&self.date_closed)
            + opt(&self.description)
            + pair(&self.lost_reason_id)
            + pair(&self.company_id)
            + opt(&self.contact_name)
            + pair(&self.country_id)
            + self.display_name.capacity()
    }
}

/// Bytes owned by a decoded `Vec<Lead>`: its buffer plus every record's heap.
pub fn decoded_bytes(leads: &Vec<Lead>) -> usize {
    leads.capacity() * size_of::<Lead>() + leads.iter().map(Lead::heap_bytes).sum::<usize>()
}

const NAMES: [&str; 6] = [
    "Rust SDK pilot",
    "Office desks & chairs",
    "Büro-Ausstattung für Müller & Söhne",
    "Déménagement São Paulo",
    "東京オフィス移転",
    "Renewal of the maintenance contract",
];
const PARTNERS: [&str; 5] = [
    "Agrolait",
    "Deco Addict",
    "Gemini Furniture",
    "Lumber & Co",
    "Azûre Interior",
];
const STAGES: [&str; 4] = ["New", "Qualified", "Proposition", "Won"];
const COUNTRIES: [(i64, &str); 4] = [
    (233, "United States"),
    (75, "France"),
    (56, "Belgium"),
    (113, "Japan"),
];
const CONTACTS: [&str; 3] = ["Jean Dupont", "Zoë O'Brien", "Ana María Peña"];

/// The `i`-th record (0-based); keep in step with `record` in `python_baseline.py`.
pub fn make_lead(i: usize) -> Lead {
    let id = i as i64 + 1;
    let name = format!("Lead {id}: {}", NAMES[i % NAMES.len()]);
    let some_if = |cond: bool, s: String| cond.then_some(s);
    Lead {
        id,
        name: name.clone(),
        kind: if i % 3 == 0 { "lead" } else { "opportunity" }.to_owned(),
        partner_id: (i % 7 != 0).then(|| {
            (
                (i % 500 + 1) as i64,
                PARTNERS[i % PARTNERS.len()].to_owned(),
            )
        }),
        user_id: (i % 11 != 0).then(|| (2, "Mitchell Admin".to_owned())),
        team_id: Some((1, "Sales".to_owned())),
        stage_id: ((i % 4 + 1) as i64, STAGES[i % 4].to_owned()),
        tag_ids: (0..i % 5).map(|k| ((i + k) % 40 + 1) as i64).collect(),
        email_from: some_if(i % 5 != 0, format!("buyer{id}@example.com")),
        phone: some_if(
            i % 4 != 0,
            format!("+32 2 555 {:02} {:02}", i % 100, i % 97),
        ),
        expected_revenue: (i * 37 % 100_000) as f64 + 0.5,
        probability: (i % 10_000) as f64 / 100.0,
        priority: (i % 4).to_string(),
        date_deadline: some_if(i % 3 != 0, format!("2026-12-{:02}", i % 28 + 1)),
        create_date: format!("2026-11-{:02} 07:{:02}:41", i % 30 + 1, i % 60),
        write_date: format!("2026-11-30 08:{:02}:{:02}", i % 60, i % 59),
        date_closed: some_if(i % 4 == 3, format!("2026-11-{:02} 17:00:00", i % 28 + 1)),
        active: i % 13 != 0,
        description: some_if(
            i % 2 == 1,
            format!("<p>Created over <b>XML-RPC</b> for lead {id}</p>"),
        ),
        lost_reason_id: None,
        company_id: Some((1, "YourCompany".to_owned())),
        contact_name: (i % 6 != 0).then(|| CONTACTS[i % CONTACTS.len()].to_owned()),
        country_id: (i % 9 != 0).then(|| {
            let (cid, cname) = COUNTRIES[i % COUNTRIES.len()];
            (cid, cname.to_owned())
        }),
        display_name: name,
    }
}

/// Writes values the way `xmlrpc.client.dumps` does.
struct PyDumps {
    out: String,
}

impl PyDumps {
    fn escaped(&mut self, s: &str) {
        for c in s.chars() {
            match c {
                '&' => self.out.push_str("&amp;"),
                '<' => self.out.push_str("&lt;"),
                '>' => self.out.push_str("&gt;"),
                c => self.out.push(c),
            }
        }
    }

    fn int(&mut self, v: i64) {
        let _ = writeln!(self.out, "<value><int>{v}</int></value>");
    }

    fn boolean(&mut self, v: bool) {
        let _ = writeln!(
            self.out,
            "<value><boolean>{}</boolean></value>",
            u8::from(v)
        );
    }

    fn double(&mut self, v: f64) {
        // `{:?}` is the shortest round trip with a `.0` on integral values, like Python's repr
        // for the magnitudes generated here.
        let _ = writeln!(self.out, "<value><double>{v:?}</double></value>");
    }

    fn string(&mut self, v: &str) {
        self.out.push_str("<value><string>");
        self.escaped(v);
        self.out.push_str("</string></value>\n");
    }

    fn opt_string(&mut self, v: &Option<String>) {
        match v {
            Some(s) => self.string(s),
            None => self.boolean(false),
        }
    }

    fn pair(&mut self, (id, name): &(i64, String)) {
        self.out.push_str("<value><array><data>\n");
        self.int(*id);
        self.string(name);
        self.out.push_str("</data></array></value>\n");
    }

    fn opt_pair(&mut self, v: &Option<(i64, String)>) {
        match v {
            Some(p) => self.pair(p),
            None => self.boolean(false),
        }
    }

    fn ids(&mut self, ids: &[i64]) {
        self.out.push_str("<value><array><data>\n");
        for &id in ids {
            self.int(id);
        }
        self.out.push_str("</data></array></value>\n");
    }

    fn member(&mut self, name: &str, value: impl FnOnce(&mut Self)) {
        self.out.push_str("<member>\n<name>");
        self.out.push_str(name);
        self.out.push_str("</name>\n");
        value(self);
        self.out.push_str("</member>\n");
    }

    fn lead(&mut self, l: &Lead) {
        self.out.push_str("<value><struct>\n");
        self.member("id", |w| w.int(l.id));
        self.member("name", |w| w.string(&l.name));
        self.member("type", |w| w.string(&l.kind));
        self.member("partner_id", |w| w.opt_pair(&l.partner_id));
        self.member("user_id", |w| w.opt_pair(&l.user_id));
        self.member("team_id", |w| w.opt_pair(&l.team_id));
        self.member("stage_id", |w| w.pair(&l.stage_id));
        self.member("tag_ids", |w| w.ids(&l.tag_ids));
        self.member("email_from", |w| w.opt_string(&l.email_from));
        self.member("phone", |w| w.opt_string(&l.phone));
        self.member("expected_revenue", |w| w.double(l.expected_revenue));
        self.member("probability", |w| w.double(l.probability));
        self.member("priority", |w| w.string(&l.priority));
        self.member("date_deadline", |w| w.opt_string(&l.date_deadline));
        self.member("create_date", |w| w.string(&l.create_date));
        self.member("write_date", |w| w.string(&l.write_date));
        self.member("date_closed", |w| w.opt_string(&l.date_closed));
        self.member("active", |w| w.boolean(l.active));
        self.member("description", |w| w.opt_string(&l.description));
        self.member("lost_reason_id", |w| w.opt_pair(&l.lost_reason_id));
        self.member("company_id", |w| w.opt_pair(&l.company_id));
        self.member("contact_name", |w| w.opt_string(&l.contact_name));
        self.member("country_id", |w| w.opt_pair(&l.country_id));
        self.member("display_name", |w| w.string(&l.display_name));
        self.out.push_str("</struct></value>\n");
    }
}

/// A `search_read` `methodResponse` of `records` leads, as Python's `dumps` writes it.
pub fn search_read_response(records: usize) -> String {
    let mut w = PyDumps {
        out: String::with_capacity(records * 2700 + 256),
    };
    w.out
        .push_str("<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n");
    w.out.push_str("<value><array><data>\n");
    for i in 0..records {
        w.lead(&make_lead(i));
    }
    w.out.push_str("</data></array></value>\n");
    w.out.push_str("</param>\n</params>\n</methodResponse>\n");
    w.out
}

/// Column names of the `load` call.
pub const LOAD_FIELDS: [&str; 10] = [
    "id",
    "name",
    "partner_id",
    "email_from",
    "phone",
    "expected_revenue",
    "stage_id",
    "tag_ids",
    "description",
    "country_id",
];

/// The rows of a `load` call of `records` leads: every cell a string, as `load` takes them.
pub fn load_rows(records: usize) -> Vec<Vec<String>> {
    (0..records)
        .map(|i| {
            let l = make_lead(i);
            let tags: Vec<String> = l.tag_ids.iter().map(|t| format!("tag_{t}")).collect();
            vec![
                format!("__import__.lead_{}", l.id),
                l.name,
                l.partner_id.map(|(_, n)| n).unwrap_or_default(),
                l.email_from.unwrap_or_default(),
                l.phone.unwrap_or_default(),
                l.expected_revenue.to_string(),
                l.stage_id.1,
                tags.join(","),
                l.description.unwrap_or_default(),
                l.country_id.map(|(_, n)| n).unwrap_or_default(),
            ]
        })
        .collect()
}

/// The tokenizer limit: every quick-xml event of `src`, touched as little as possible (the
/// length of each name or text, so the optimiser cannot drop the loop).
pub fn bare_quick_xml(src: &str) -> u64 {
    let mut reader = Reader::from_str(src);
    let mut acc = 0u64;
    loop {
        let touched = match reader.read_event() {
            Ok(Event::Eof) => break,
            Ok(Event::Start(e) | Event::Empty(e)) => e.name().as_ref().len(),
            Ok(Event::End(e)) => e.name().as_ref().len(),
            Ok(Event::Text(t)) => t.len(),
            Ok(Event::GeneralRef(r)) => r.len(),
            Ok(_) => 1,
            Err(e) => panic!("bare quick-xml loop: {e}"),
        };
        acc = acc.wrapping_add(touched as u64);
    }
    acc
}
