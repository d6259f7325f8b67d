//! The generated models in use: `golden/src/embedded` is what `taskflow generate --all` wrote for
//! the embedded server as its administrator (`taskflow-cli/tests/generate_golden.rs` keeps it
//! byte-identical). Here it is compiled as a user's crate and run against that server: every
//! model the server lists is generated, one record of each reads into its struct, and where the
//! required fields alone make a record, it is created, written and read back.

use std::collections::BTreeSet;

use taskflow_cli_golden::embedded::*;
use taskflow_sdk::{Client, Domain, Id, Model, Session};
use taskflow_server::TestServer;

async fn admin() -> (TestServer, Session) {
    let server = TestServer::start().await.expect("embedded server starts");
    let user = server.admin();
    let session = Client::builder()
        .url(&server.url())
        .build()
        .expect("client builds")
        .authenticate(server.db(), &user.login, &user.password)
        .await
        .expect("admin signs in");
    (server, session)
}

/// The server model of every generated struct, one per module of `embedded/mod.rs`.
const GENERATED: [&str; 13] = [
    CrmLead::MODEL,
    CrmLostReason::MODEL,
    CrmStage::MODEL,
    CrmTag::MODEL,
    CrmTeam::MODEL,
    IrConfigParameter::MODEL,
    IrModel::MODEL,
    IrModelData::MODEL,
    ResCompany::MODEL,
    ResCountry::MODEL,
    ResCurrency::MODEL,
    ResPartner::MODEL,
    ResUsers::MODEL,
];

#[tokio::test]
async fn every_model_the_server_lists_is_generated() {
    let (_server, s) = admin().await;
    // Read through the generated `IrModel` itself.
    let listed: BTreeSet<String> = IrModel::search_read(&s, Domain::all())
        .await
        .expect("ir.model reads into IrModel")
        .into_iter()
        .map(|m| m.model)
        .collect();
    let generated: BTreeSet<String> = GENERATED.iter().map(|m| m.to_string()).collect();
    assert_eq!(listed, generated);
}

/// Reads the first record of each model into its struct, and checks it is the one asked for.
macro_rules! read_first {
    ($s:expr, $($model:ty),+ $(,)?) => {$(
        let first: Vec<$model> = <$model>::search_read($s, Domain::all())
            .limit(1)
            .order("id")
            .await
            .unwrap_or_else(|e| panic!("{} reads into {}: {e}", <$model>::MODEL, stringify!($model)));
        assert_eq!(first.len(), 1, "{} has a record to read", <$model>::MODEL);
        let again = <$model>::read($s, &[first[0].id]).await
            .unwrap_or_else(|e| panic!("{} reads by id: {e}", <$model>::MODEL));
        assert_eq!(again, first, "{}: search_read and read agree", <$model>::MODEL);
    )+};
}

#[tokio::test]
async fn one_record_of_every_generated_model_reads_into_its_struct() {
    let (_server, s) = admin().await;
    read_first!(
        &s,
        CrmLead,
        CrmLostReason,
        CrmStage,
        CrmTag,
        CrmTeam,
        IrConfigParameter,
        IrModel,
        IrModelData,
        ResCompany,
        ResCountry,
        ResCurrency,
        ResPartner,
        ResUsers,
    );
}

/// Creates a record from `$values`, writes `$field` to `$new`, reads the record back and
/// checks both what was created and what was written (`$read`, when the field reads as
/// another type than it is written with); gives the id.
macro_rules! round_trip {
    ($s:expr, $model:ty, $values:expr, $field:ident: $old:expr => $new:expr) => {
        round_trip!($s, $model, $values, $field: $old => $new, reads $new)
    };
    ($s:expr, $model:ty, $values:expr, $field:ident: $old:expr => $new:expr, reads $read:expr) => {{
        let s = $s;
        let id: Id<$model> = <$model>::create(s, $values)
            .await
            .unwrap_or_else(|e| panic!("{} creates: {e}", <$model>::MODEL));
        let created = <$model>::read(s, &[id]).await.expect("reads back");
        assert_eq!(created.len(), 1);
        assert_eq!(created[0].$field, $old, "{} as created", <$model>::MODEL);
        <$model>::write(s, &[id], <$model>::values().$field($new))
            .await
            .unwrap_or_else(|e| panic!("{} writes: {e}", <$model>::MODEL));
        let written = <$model>::read(s, &[id]).await.expect("reads back");
        assert_eq!(written[0].$field, $read, "{} as written", <$model>::MODEL);
        id
    }};
}

#[tokio::test]
async fn records_made_of_their_required_fields_are_created_written_and_read_back() {
    let (_server, s) = admin().await;
    let s = &s;
    round_trip!(s, CrmTag, CrmTag::values().name("Gen tag"), name: "Gen tag" => "Gen tag 2");
    round_trip!(s, CrmStage, CrmStage::values().name("Gen stage"), name: "Gen stage" => "Gen stage 2");
    round_trip!(s, CrmLostReason, CrmLostReason::values().name("Gen reason"), name: "Gen reason" => "Gen reason 2");
    round_trip!(s, CrmTeam, CrmTeam::values().name("Gen team"), name: "Gen team" => "Gen team 2");
    round_trip!(s, ResCountry, ResCountry::values().name("Genland"), name: "Genland" => "Genland 2");
    round_trip!(
        s,
        ResCurrency,
        ResCurrency::values().name("GEN").symbol("g"),
        symbol: "g" => "G"
    );
    round_trip!(
        s,
        IrConfigParameter,
        IrConfigParameter::values().key("gen.key").value("1"),
        value: "1" => "2"
    );
    round_trip!(
        s,
        IrModelData,
        IrModelData::values().model("crm.tag").module("gen").name("gen_tag"),
        name: "gen_tag" => "gen_tag_2"
    );
    // The selection is a generated enum (`type` is renamed `type_`).
    let lead = round_trip!(
        s,
        CrmLead,
        CrmLead::values().name("Gen lead").type_(crm_lead::Type::Lead),
        type_: crm_lead::Type::Lead => crm_lead::Type::Opportunity
    );
    assert_eq!(CrmLead::read(s, &[lead]).await.unwrap()[0].name, "Gen lead");
    // res.partner requires no field in fields_get, but its create refuses a partner without a
    // name (odoo-17/082): the name is the least it takes.
    let partner = round_trip!(
        s,
        ResPartner,
        ResPartner::values().name("Gen partner"),
        name: Some("Gen partner".to_owned()) => "Gen partner 2",
        reads Some("Gen partner 2".to_owned())
    );
    // Required many2ones take records of the generated related structs.
    let currency: Vec<ResCurrency> = ResCurrency::search_read(s, Domain::all())
        .limit(1)
        .await
        .unwrap();
    let company = round_trip!(
        s,
        ResCompany,
        ResCompany::values()
            .name("Gen company")
            .currency_id(currency[0].id)
            .partner_id(partner),
        name: "Gen company" => "Gen company 2"
    );
    let company_record = ResCompany::read(s, &[company]).await.unwrap();
    assert_eq!(Id::from(&company_record[0].partner_id), partner);
    let user_partner = ResPartner::create(s, ResPartner::values().name("Gen user"))
        .await
        .unwrap();
    round_trip!(
        s,
        ResUsers,
        ResUsers::values()
            .login("gen.user")
            .company_id(company)
            .partner_id(user_partner)
            .notification_type(res_users::NotificationType::Email),
        login: "gen.user" => "gen.user.2"
    );
    // ir.model is left out: its required `field_id` is a one2many of ir.model.fields, which is
    // not generated (the embedded server does not serve it), so no record is made of the
    // required fields alone.
}
