//! `#[derive(TaskflowModel)]` end to end: every typed method and every x2many command, each checked
//! by reading back; against the server `TASKFLOW_URL` names, or the embedded one (see
//! `support::e2e`).

mod support;

use std::process::ExitCode;

use support::e2e::E2e;
use support::harness::Suite;
use taskflow_sdk::model;
use taskflow_sdk::{
    Client, Command, Date, DateTime, Domain, Id, Kwargs, Many2many, Many2one, Model, One2many,
    Selection, Session, TaskflowModel,
};
use taskflow_server::{Mode, TestServer};

fn main() -> ExitCode {
    let mut suite = Suite::new();
    suite
        .test(
            "create_read_write_search_and_unlink",
            create_read_write_search_and_unlink,
        )
        .needs_admin();
    suite
        .test(
            "typed_domains_run_on_the_server",
            typed_domains_run_on_the_server,
        )
        .needs_admin();
    suite
        .test(
            "many2many_commands_each_checked_by_reading_back",
            many2many_commands_each_checked_by_reading_back,
        )
        .needs_admin();
    suite
        .test(
            "one2many_commands_on_a_self_referential_model",
            one2many_commands_on_a_self_referential_model,
        )
        .needs_admin();
    suite
        .test(
            "name_get_falls_back_to_display_name_on_servers_without_it",
            name_get_falls_back_to_display_name_on_servers_without_it,
        )
        .needs_embedded("Mode::Odoo19");
    suite
        .test(
            "load_creates_then_updates_by_external_id_and_reports_rows",
            load_creates_then_updates_by_external_id_and_reports_rows,
        )
        .needs_admin();
    suite
        .test(
            "generic_code_works_for_any_model",
            generic_code_works_for_any_model,
        )
        .needs_admin();
    // Talks to a canned server of its own: applies to every target.
    suite.test(
        "read_requests_exactly_the_struct_fields_and_decodes_the_real_answer",
        read_requests_exactly_the_struct_fields_and_decodes_the_real_answer,
    );
    suite
        .test(
            "typed_calls_can_be_spawned_on_a_multi_threaded_runtime",
            typed_calls_can_be_spawned_on_a_multi_threaded_runtime,
        )
        .needs_admin();
    suite.run()
}

#[derive(TaskflowModel, Debug, Clone)]
#[taskflow(model = "res.partner")]
pub struct Partner {
    pub id: Id<Partner>,
    pub name: String,
    pub email: Option<String>,
    pub is_company: bool,
    pub parent_id: Option<Many2one<Partner>>,
    pub child_ids: One2many<Partner>,
    /// Partner and Lead point at each other.
    #[taskflow(readonly)]
    pub opportunity_ids: One2many<Lead>,
}

#[derive(TaskflowModel, Debug, Clone)]
#[taskflow(model = "crm.tag")]
pub struct Tag {
    pub id: Id<Tag>,
    pub name: String,
}

#[derive(Selection, Clone, Copy, Debug, PartialEq, Eq)]
pub enum LeadType {
    Lead,
    Opportunity,
}

#[derive(Selection, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Priority {
    #[taskflow(rename = "0")]
    Low,
    #[taskflow(rename = "1")]
    Medium,
    #[taskflow(rename = "2")]
    High,
    #[taskflow(rename = "3")]
    VeryHigh,
}

#[derive(TaskflowModel, Debug, Clone)]
#[taskflow(model = "crm.lead")]
pub struct Lead {
    pub id: Id<Lead>,
    pub name: String,
    #[taskflow(rename = "type")]
    pub kind: LeadType,
    pub partner_id: Option<Many2one<Partner>>,
    pub tag_ids: Many2many<Tag>,
    pub expected_revenue: f64,
    pub priority: Priority,
    pub date_deadline: Option<Date>,
    pub contact_name: Option<String>,
    #[taskflow(readonly)]
    pub create_date: Option<DateTime>,
}

/// The trial's own "Deco Addict": the embedded server's seed has one, a configured server need not.
async fn deco_addict(e2e: &E2e, session: &Session) -> Id<Partner> {
    Partner::create(session, Partner::values().name(e2e.name("Deco Addict")))
        .await
        .unwrap();
    let found = Partner::name_search(session, e2e.name("Deco Addict"))
        .limit(1)
        .await
        .unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    found[0].0
}

async fn create_read_write_search_and_unlink(e2e: &E2e) {
    let s = e2e.admin_session().await;
    let deco = deco_addict(e2e, &s).await;
    let deadline = Date::new(2026, 12, 31).unwrap();

    let id = Lead::create(
        &s,
        Lead::values()
            .name(e2e.name("E2E crud pilot"))
            .kind(LeadType::Opportunity)
            .partner_id(deco)
            .expected_revenue(12_500.5)
            .priority(Priority::High)
            .date_deadline(deadline)
            .contact_name("Ann"),
    )
    .await
    .unwrap();
    let more = Lead::create_many(
        &s,
        [
            Lead::values()
                .name(e2e.name("E2E crud second"))
                .kind(LeadType::Lead),
            Lead::values()
                .name(e2e.name("E2E crud third"))
                .expected_revenue(99.0),
        ],
    )
    .await
    .unwrap();
    assert_eq!(more.len(), 2);
    assert!(more[0] != id && more[1] != id && more[0] != more[1]);

    let lead = Lead::read(&s, &[id]).await.unwrap().remove(0);
    assert_eq!(lead.id, id);
    assert_eq!(lead.name, e2e.name("E2E crud pilot"));
    assert_eq!(lead.kind, LeadType::Opportunity);
    assert_eq!(lead.partner_id.as_ref().map(|p| p.id), Some(deco));
    assert_eq!(
        lead.partner_id.as_ref().unwrap().name,
        e2e.name("Deco Addict")
    );
    assert_eq!(lead.expected_revenue, 12_500.5);
    assert_eq!(lead.priority, Priority::High);
    assert_eq!(lead.date_deadline, Some(deadline));
    assert_eq!(lead.contact_name.as_deref(), Some("Ann"));
    assert!(lead.create_date.is_some());
    assert!(lead.tag_ids.is_empty());

    // One write, several ids, the same values; clearing is explicit.
    let all = [id, more[0], more[1]];
    Lead::write(
        &s,
        &all,
        Lead::values()
            .name(e2e.name("E2E crud renamed"))
            .clear_date_deadline()
            .clear_partner_id(),
    )
    .await
    .unwrap();
    let leads = Lead::read(&s, &all).await.unwrap();
    assert_eq!(leads.len(), 3);
    for lead in &leads {
        assert_eq!(lead.name, e2e.name("E2E crud renamed"));
        assert_eq!(lead.date_deadline, None);
        assert_eq!(lead.partner_id, None);
    }
    // Fields not set are not sent: the other values survived the write.
    let first = leads.iter().find(|l| l.id == id).unwrap();
    assert_eq!(first.contact_name.as_deref(), Some("Ann"));
    assert_eq!(first.priority, Priority::High);

    let names = Lead::name_get(&s, &all).await.unwrap();
    assert_eq!(names.len(), 3);
    assert!(
        names
            .iter()
            .all(|(i, n)| all.contains(i) && *n == e2e.name("E2E crud renamed"))
    );

    let f = Lead::fields();
    let mine = f.name.eq(e2e.name("E2E crud renamed"));
    assert_eq!(Lead::search_count(&s, mine.clone()).await.unwrap(), 3);
    let mut sorted = all.to_vec();
    sorted.sort();
    let page = Lead::search(&s, mine.clone())
        .order("id desc")
        .offset(1)
        .limit(1)
        .await
        .unwrap();
    assert_eq!(page, [sorted[1]]);
    let page: Vec<Lead> = Lead::search_read(&s, mine.clone())
        .order("id asc")
        .limit(2)
        .await
        .unwrap();
    assert_eq!(page.iter().map(|l| l.id).collect::<Vec<_>>(), &sorted[..2]);
    // Case-insensitive: the name has "E2E".
    let found = Lead::name_search(&s, e2e.name("e2e crud renamed"))
        .limit(10)
        .await
        .unwrap();
    assert_eq!(found.len(), 3, "{found:?}");

    let fields = Lead::fields_get(&s).await.unwrap();
    assert_eq!(fields["partner_id"].kind, "many2one");
    assert_eq!(
        fields["partner_id"].relation.as_deref(),
        Some("res.partner")
    );
    let keys: Vec<&str> = fields["type"]
        .selection
        .as_ref()
        .unwrap()
        .iter()
        .map(|(k, _)| k.as_str())
        .collect();
    assert_eq!(keys, LeadType::KEYS);

    // A field the struct does not declare, set through the values builder: an archived lead
    // is left out of searches.
    Lead::write(&s, &[more[1]], Lead::values().raw("active", false))
        .await
        .unwrap();
    assert_eq!(Lead::search_count(&s, mine.clone()).await.unwrap(), 2);

    Lead::unlink(&s, &all).await.unwrap();
    assert_eq!(Lead::search_count(&s, mine).await.unwrap(), 0);
    assert!(Lead::read(&s, &all).await.unwrap().is_empty());
}

async fn typed_domains_run_on_the_server(e2e: &E2e) {
    let s = e2e.admin_session().await;
    let deco = deco_addict(e2e, &s).await;
    let a = Lead::create(
        &s,
        Lead::values()
            .name(e2e.name("E2E domain A"))
            .partner_id(deco)
            .expected_revenue(50_000.0),
    )
    .await
    .unwrap();
    let b = Lead::create(
        &s,
        Lead::values()
            .name(e2e.name("E2E domain B"))
            .expected_revenue(10.0),
    )
    .await
    .unwrap();
    let c = Lead::create(
        &s,
        Lead::values()
            .name(e2e.name("E2E domain C"))
            .kind(LeadType::Lead),
    )
    .await
    .unwrap();

    let f = Lead::fields();
    let ours = || f.name.like(e2e.name("E2E domain"));
    let ids = |d: Domain<Lead>| {
        let s = s.clone();
        async move {
            let mut ids = Lead::search(&s, d).await.unwrap();
            ids.sort();
            ids
        }
    };
    assert_eq!(ids(ours() & f.expected_revenue.gt(1_000.0)).await, [a]);
    assert_eq!(
        ids(ours() & f.partner_id.related().name.ilike("deco")).await,
        [a]
    );
    assert_eq!(ids(ours() & f.partner_id.is_not_null()).await, [a]);
    assert_eq!(ids(ours() & !f.partner_id.is_not_null()).await, [b, c]);
    assert_eq!(ids(ours() & f.partner_id.is_null()).await, [b, c]);
    assert_eq!(ids(ours() & f.partner_id.child_of(deco)).await, [a]);
    assert_eq!(
        ids(ours() & (f.id.eq(a) | f.kind.eq(LeadType::Lead))).await,
        [a, c]
    );
    assert_eq!(ids(ours() & f.id.eq_any([b, c])).await, [b, c]);
    assert_eq!(ids(ours() & f.id.ne_all([b, c])).await, [a]);
    assert_eq!(
        ids(ours() & f.name.not_like(e2e.name("E2E domain B"))).await,
        [a, c]
    );
    assert_eq!(
        ids(ours() & f.name.ne(e2e.name("E2E domain B"))).await,
        [a, c]
    );
    assert_eq!(
        ids(ours() & f.expected_revenue.ge(10.0) & f.expected_revenue.le(10.0)).await,
        [b]
    );
    // A raw domain still works, and mixes with typed leaves.
    let raw = Domain::leaf("name", "=like", format!("{} _", e2e.name("E2E domain")));
    assert_eq!(ids(raw & f.expected_revenue.lt(20.0)).await.len(), 2);
}

async fn many2many_commands_each_checked_by_reading_back(e2e: &E2e) {
    let s = e2e.admin_session().await;
    let t = Tag::create_many(
        &s,
        ["E2E t1", "E2E t2", "E2E t3"].map(|n| Tag::values().name(e2e.name(n))),
    )
    .await
    .unwrap();
    let (t1, t2, t3) = (t[0], t[1], t[2]);
    let tags_of = |id: Id<Lead>| {
        let s = s.clone();
        async move {
            let mut ids = Lead::read(&s, &[id]).await.unwrap()[0].tag_ids.to_vec();
            ids.sort();
            ids
        }
    };

    // (4, id): link.
    let lead = Lead::create(
        &s,
        Lead::values()
            .name(e2e.name("E2E tags"))
            .tag_ids([Command::link(t1), Command::link(t2)]),
    )
    .await
    .unwrap();
    assert_eq!(tags_of(lead).await, [t1, t2]);

    // (3, id): unlink only; the tag survives.
    Lead::write(&s, &[lead], Lead::values().tag_ids([Command::unlink(t1)]))
        .await
        .unwrap();
    assert_eq!(tags_of(lead).await, [t2]);
    assert_eq!(Tag::read(&s, &[t1]).await.unwrap().len(), 1);

    // (0, 0, values): create and link.
    Lead::write(
        &s,
        &[lead],
        Lead::values().tag_ids([Command::create(Tag::values().name(e2e.name("E2E created")))]),
    )
    .await
    .unwrap();
    let now = tags_of(lead).await;
    assert_eq!(now.len(), 2);
    let created = *now.iter().find(|&&i| i != t2).unwrap();
    assert_eq!(
        Tag::read(&s, &[created]).await.unwrap()[0].name,
        e2e.name("E2E created")
    );

    // (1, id, values): update the related record.
    Lead::write(
        &s,
        &[lead],
        Lead::values().tag_ids([Command::update(
            t2,
            Tag::values().name(e2e.name("E2E t2 renamed")),
        )]),
    )
    .await
    .unwrap();
    assert_eq!(
        Tag::read(&s, &[t2]).await.unwrap()[0].name,
        e2e.name("E2E t2 renamed")
    );
    assert_eq!(tags_of(lead).await, [t2, created]);

    // (2, id): unlink and delete the related record.
    Lead::write(&s, &[lead], Lead::values().tag_ids([Command::delete(t2)]))
        .await
        .unwrap();
    assert_eq!(tags_of(lead).await, [created]);
    assert!(Tag::read(&s, &[t2]).await.unwrap().is_empty());

    // (6, 0, ids): replace.
    Lead::write(
        &s,
        &[lead],
        Lead::values().tag_ids([Command::set([t1, t3])]),
    )
    .await
    .unwrap();
    assert_eq!(tags_of(lead).await, [t1, t3]);

    // (5, 0, 0): clear, deleting nothing.
    Lead::write(&s, &[lead], Lead::values().tag_ids([Command::clear()]))
        .await
        .unwrap();
    assert!(tags_of(lead).await.is_empty());
    assert_eq!(Tag::read(&s, &[t1, t3, created]).await.unwrap().len(), 3);
}

async fn one2many_commands_on_a_self_referential_model(e2e: &E2e) {
    let s = e2e.admin_session().await;

    // Children created in the same call as their parent.
    let company = Partner::create(
        &s,
        Partner::values()
            .name(e2e.name("E2E Industries"))
            .is_company(true)
            .child_ids([
                Command::create(Partner::values().name(e2e.name("E2E Alice"))),
                Command::create(Partner::values().name(e2e.name("E2E Bob"))),
            ]),
    )
    .await
    .unwrap();
    let parent = Partner::read(&s, &[company]).await.unwrap().remove(0);
    assert!(parent.is_company);
    assert_eq!(parent.child_ids.len(), 2);
    let children = Partner::read(&s, parent.child_ids.ids()).await.unwrap();
    let by_name = |name: &str| {
        children
            .iter()
            .find(|c| c.name == e2e.name(name))
            .unwrap()
            .id
    };
    let (alice, bob) = (by_name("E2E Alice"), by_name("E2E Bob"));
    for child in &children {
        assert_eq!(child.parent_id.as_ref().unwrap().id, company);
        assert_eq!(
            child.parent_id.as_ref().unwrap().name,
            e2e.name("E2E Industries")
        );
    }

    // (1) update, (2) delete, (0) create in one write.
    Partner::write(
        &s,
        &[company],
        Partner::values().child_ids([
            Command::update(alice, Partner::values().email("alice@e2e.example")),
            Command::delete(bob),
            Command::create(Partner::values().name(e2e.name("E2E Carol"))),
        ]),
    )
    .await
    .unwrap();
    let kids = Partner::read(&s, &[company]).await.unwrap()[0]
        .child_ids
        .to_vec();
    assert_eq!(kids.len(), 2);
    assert!(kids.contains(&alice) && !kids.contains(&bob));
    assert!(Partner::read(&s, &[bob]).await.unwrap().is_empty());
    let alice_now = Partner::read(&s, &[alice]).await.unwrap().remove(0);
    assert_eq!(alice_now.email.as_deref(), Some("alice@e2e.example"));

    // (3) unlink: Alice leaves the company but still exists.
    Partner::write(
        &s,
        &[company],
        Partner::values().child_ids([Command::unlink(alice)]),
    )
    .await
    .unwrap();
    let kids = Partner::read(&s, &[company]).await.unwrap()[0]
        .child_ids
        .to_vec();
    assert_eq!(kids.len(), 1);
    assert!(!kids.contains(&alice));
    let alice_now = Partner::read(&s, &[alice]).await.unwrap().remove(0);
    assert_eq!(alice_now.parent_id, None);

    // Mutually related models: the lead's partner sees the lead through its one2many.
    let lead = Lead::create(
        &s,
        Lead::values()
            .name(e2e.name("E2E mutual"))
            .partner_id(company),
    )
    .await
    .unwrap();
    let parent = Partner::read(&s, &[company]).await.unwrap().remove(0);
    assert_eq!(parent.opportunity_ids.ids(), [lead]);
    let f = Partner::fields();
    let via_lead = Partner::search(
        &s,
        f.opportunity_ids.related().name.eq(e2e.name("E2E mutual")),
    )
    .await
    .unwrap();
    assert_eq!(via_lead, [company]);
}

async fn name_get_falls_back_to_display_name_on_servers_without_it(_: &E2e) {
    let server = TestServer::builder()
        .mode(Mode::Odoo19)
        .start()
        .await
        .unwrap();
    let s = support::admin(&server, Client::builder()).await;
    let id = Lead::create(&s, Lead::values().name("E2E no name_get"))
        .await
        .unwrap();
    // The server really has no name_get...
    let err = s
        .execute_kw::<taskflow_sdk::xmlrpc::Value>(
            "crm.lead",
            "name_get",
            ([id.get()],),
            Kwargs::new(),
        )
        .await
        .unwrap_err();
    assert!(err.fault().is_some(), "{err}");
    // ...and the typed call still answers.
    let names = Lead::name_get(&s, &[id]).await.unwrap();
    assert_eq!(names, [(id, "E2E no name_get".to_owned())]);
}

async fn load_creates_then_updates_by_external_id_and_reports_rows(e2e: &E2e) {
    let s = e2e.admin_session().await;
    let deco = deco_addict(e2e, &s).await;
    let t = Tag::create(&s, Tag::values().name(e2e.name("E2E load tag")))
        .await
        .unwrap();

    let first = Lead::load(
        &s,
        [
            (
                e2e.xid("lead_1"),
                Lead::values()
                    .name(e2e.name("E2E loaded 1"))
                    .expected_revenue(1000.0)
                    .partner_id(deco)
                    .tag_ids([Command::link(t)])
                    .priority(Priority::Medium),
            ),
            (
                e2e.xid("lead_2"),
                Lead::values()
                    .name(e2e.name("E2E loaded 2"))
                    .kind(LeadType::Lead),
            ),
        ],
    )
    .await
    .unwrap();
    let ids = first.unwrap_or_else(|refused| panic!("refused: {refused:?}"));
    assert_eq!(ids.len(), 2);
    let leads = Lead::read(&s, &ids).await.unwrap();
    let one = leads.iter().find(|l| l.id == ids[0]).unwrap();
    assert_eq!(one.name, e2e.name("E2E loaded 1"));
    assert_eq!(one.expected_revenue, 1000.0);
    assert_eq!(one.partner_id.as_ref().unwrap().id, deco);
    assert_eq!(one.tag_ids.ids(), [t]);
    assert_eq!(one.priority, Priority::Medium);

    // Run again: the known external id updates, a new one creates.
    let second = Lead::load(
        &s,
        [
            (
                e2e.xid("lead_1"),
                Lead::values().name(e2e.name("E2E loaded 1 (updated)")),
            ),
            (
                e2e.xid("lead_3"),
                Lead::values().name(e2e.name("E2E loaded 3")),
            ),
        ],
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(second[0], ids[0]);
    assert!(!ids.contains(&second[1]));
    assert_eq!(
        Lead::read(&s, &[ids[0]]).await.unwrap()[0].name,
        e2e.name("E2E loaded 1 (updated)")
    );

    // A bad row: the batch is refused with a message naming the row and the field.
    let bad = Lead::load(
        &s,
        [
            (e2e.xid("ok"), Lead::values().name(e2e.name("fine"))),
            (
                e2e.xid("bad"),
                // Past the typed setter, which only takes the enum's keys.
                Lead::values()
                    .name(e2e.name("bad"))
                    .raw("type", "not_a_type"),
            ),
        ],
    )
    .await
    .unwrap();
    let refused = bad.unwrap_err();
    assert_eq!(refused.len(), 1, "{refused:?}");
    assert_eq!(refused[0].row, 1);
    assert_eq!(refused[0].field.as_deref(), Some("type"));
    assert_eq!(
        refused[0].external_id.as_deref(),
        Some(e2e.xid("bad").as_str())
    );
    assert!(
        refused[0].message.contains("not_a_type"),
        "{}",
        refused[0].message
    );
    assert_eq!(
        Lead::search_count(&s, Lead::fields().name.eq(e2e.name("fine")))
            .await
            .unwrap(),
        0
    );
}

/// Generic application code over any model.
async fn rename_all<M: Model>(
    session: &Session,
    domain: Domain<M>,
    values: impl Fn() -> M::Values,
) -> taskflow_sdk::Result<Vec<(Id<M>, String)>> {
    let ids = model::search::<M>(session, domain).await?;
    model::write::<M>(session, &ids, values()).await?;
    model::name_get::<M>(session, &ids).await
}

async fn generic_code_works_for_any_model(e2e: &E2e) {
    let s = e2e.admin_session().await;
    let tag = Tag::create(&s, Tag::values().name(e2e.name("E2E generic tag")))
        .await
        .unwrap();
    let lead = Lead::create(&s, Lead::values().name(e2e.name("E2E generic lead")))
        .await
        .unwrap();
    let tags = rename_all::<Tag>(&s, Tag::fields().id.eq(tag), || {
        Tag::values().name(e2e.name("E2E generic tag 2"))
    })
    .await
    .unwrap();
    assert_eq!(tags, [(tag, e2e.name("E2E generic tag 2"))]);
    let leads = rename_all::<Lead>(&s, Lead::fields().id.eq(lead), || {
        Lead::values().name(e2e.name("E2E generic lead 2"))
    })
    .await
    .unwrap();
    assert_eq!(leads, [(lead, e2e.name("E2E generic lead 2"))]);
    let records: Vec<Tag> = model::read::<Tag>(&s, &[tag]).await.unwrap();
    assert_eq!(records[0].id(), tag);
}

/// A one-shot HTTP server answering every request with `body`, and handing back the requests.
async fn canned_server(body: Vec<u8>) -> (String, tokio::sync::mpsc::UnboundedReceiver<String>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut request = Vec::new();
            let mut buf = [0u8; 8192];
            // Read the head, then as many body bytes as Content-Length says.
            let (head_end, length) = loop {
                let n = socket.read(&mut buf).await.unwrap();
                assert!(n > 0, "connection closed mid-request");
                request.extend_from_slice(&buf[..n]);
                let text = String::from_utf8_lossy(&request);
                if let Some(end) = text.find("\r\n\r\n") {
                    let length = text[..end]
                        .lines()
                        .find_map(|l| {
                            let (k, v) = l.split_once(':')?;
                            k.eq_ignore_ascii_case("content-length")
                                .then(|| v.trim().parse::<usize>().unwrap())
                        })
                        .unwrap_or(0);
                    break (end + 4, length);
                }
            };
            while request.len() < head_end + length {
                let n = socket.read(&mut buf).await.unwrap();
                assert!(n > 0, "connection closed mid-body");
                request.extend_from_slice(&buf[..n]);
            }
            tx.send(String::from_utf8_lossy(&request[head_end..]).into_owned())
                .unwrap();
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            socket.write_all(head.as_bytes()).await.unwrap();
            socket.write_all(&body).await.unwrap();
            socket.shutdown().await.unwrap();
        }
    });
    (url, rx)
}

async fn read_requests_exactly_the_struct_fields_and_decodes_the_real_answer(_: &E2e) {
    let recorded = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/odoo-17/023-crm-lead-read.response.xml"
    ))
    .unwrap();
    let (url, mut requests) = canned_server(recorded).await;
    let client = Client::new(&url).unwrap();
    let s = Session::with_uid(client, "taskflow", 2, "admin", "admin");

    let leads = Lead::read(&s, &[Id::new(45)]).await.unwrap();
    assert_eq!(leads[0].id, Id::new(45));
    assert_eq!(leads[0].priority, Priority::High);
    assert_eq!(leads[0].tag_ids.ids(), [Id::new(1), Id::new(2)]);

    let body = requests.recv().await.unwrap();
    let call = taskflow_sdk::xmlrpc::decode_call::<Vec<taskflow_sdk::xmlrpc::Value>>(
        body.as_bytes(),
        &Default::default(),
    )
    .unwrap();
    assert_eq!(call.method, "execute_kw");
    assert_eq!(call.params[3].as_str(), Some("crm.lead"));
    assert_eq!(call.params[4].as_str(), Some("read"));
    let fields: Vec<&str> = match call.params[6].get("fields") {
        Some(taskflow_sdk::xmlrpc::Value::Array(items)) => {
            items.iter().filter_map(|v| v.as_str()).collect()
        }
        other => panic!("no fields list in the kwargs: {other:?}"),
    };
    assert_eq!(fields, Lead::FIELDS);
    assert_eq!(
        fields,
        [
            "id",
            "name",
            "type",
            "partner_id",
            "tag_ids",
            "expected_revenue",
            "priority",
            "date_deadline",
            "contact_name",
            "create_date"
        ]
    );
}

async fn typed_calls_can_be_spawned_on_a_multi_threaded_runtime(e2e: &E2e) {
    fn assert_send<T: Send>(value: T) -> T {
        value
    }
    let s = e2e.admin_session().await;
    let (name, name_2, xid) = (
        e2e.name("E2E spawned"),
        e2e.name("E2E spawned 2"),
        e2e.xid("spawned"),
    );
    let task = {
        let s = s.clone();
        tokio::spawn(async move {
            let id = assert_send(Lead::create(&s, Lead::values().name(name))).await?;
            let leads = assert_send(Lead::search_read(&s, Lead::fields().id.eq(id))).await?;
            let names = assert_send(Lead::name_get(&s, &[id])).await?;
            let report = assert_send(Lead::load(&s, [(xid, Lead::values().name(name_2))])).await?;
            Ok::<_, taskflow_sdk::Error>((id, leads, names, report))
        })
    };
    let (id, leads, names, report) = task.await.unwrap().unwrap();
    assert_eq!(leads[0].id, id);
    assert_eq!(names[0].1, e2e.name("E2E spawned"));
    assert_eq!(report.unwrap().len(), 1);
}
