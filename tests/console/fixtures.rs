//! Fixed, realistic account data for the snapshots: a session, users, groups, service
//! principals, a full user as the server returns it, API errors, and hostile names.

use dbx_console::api::{ApiError, ApiErrorKind};
use dbx_console::app::columns;
use dbx_console::app::msg::Resource;
use dbx_console::app::navigate;
use dbx_console::app::state::{AppState, Detail, DetailMode, ListState, Remote, Route, Session};
use serde_json::{Value, json};

pub const ACCOUNT_ID: &str = "6f1c2a9e-3b7d-4e8a-9c41-0d2b5e7f8a13";

pub fn session() -> Session {
    Session {
        profile: Some("prod".into()),
        host: "https://accounts.cloud.databricks.com".into(),
        account_id: ACCOUNT_ID.into(),
        user: Some("ines.moreau@northwind.example".into()),
        token_expires_at: Some(now() + chrono::Duration::minutes(42)),
        read_only: false,
        snapshot: None,
    }
}

/// The fixed clock of every fixture.
pub fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339("2026-11-22T12:00:00Z")
        .expect("a valid time")
        .with_timezone(&chrono::Utc)
}

/// A state on `resource`'s list with nothing loaded yet and the spinner on its first frame.
pub fn state_on(resource: Resource) -> AppState {
    let mut state = AppState::new(session());
    state.now = now();
    state.routes = vec![Route::List(resource)];
    state.spinner = 0;
    state
}

const GIVEN_NAMES: [&str; 26] = [
    "Inès", "Kenji", "Amara", "Lukas", "Sofia", "Daniel", "Priya", "Mateo", "Hannah", "Oliver",
    "Chloé", "Tomasz", "Aisha", "Henrik", "Mei", "Rafael", "Zanele", "Jonas", "Leila", "Arjun",
    "Freya", "Diego", "Yuki", "Nadia", "Samuel", "Elena",
];

const FAMILY_NAMES: [&str; 50] = [
    "Moreau",
    "Nakamura",
    "Okafor",
    "Becker",
    "Rossi",
    "Cohen",
    "Raman",
    "García",
    "Nakagawa",
    "Smith",
    "Dubois",
    "Kowalski",
    "Haddad",
    "Lindqvist",
    "Chen",
    "Oliveira",
    "Dlamini",
    "Schmidt",
    "Rahimi",
    "Iyer",
    "Andersen",
    "Fernández",
    "Tanaka",
    "Petrova",
    "Mensah",
    "Popescu",
    "Novak",
    "Johansson",
    "Murphy",
    "Costa",
    "Yilmaz",
    "Kim",
    "Nguyen",
    "Walsh",
    "Müller",
    "Santos",
    "Ibrahim",
    "Larsen",
    "Ferrari",
    "Horvat",
    "Suzuki",
    "O'Brien",
    "Singh",
    "Ahmed",
    "Keller",
    "Lopez",
    "Virtanen",
    "Das",
    "Papadopoulos",
    "Fischer",
];

fn ascii_lower(name: &str) -> String {
    name.chars()
        .map(|c| match c {
            'è' | 'é' => 'e',
            'á' => 'a',
            'í' => 'i',
            'ü' => 'u',
            other => other.to_ascii_lowercase(),
        })
        .filter(char::is_ascii_alphanumeric)
        .collect()
}

pub fn user_id(index: usize) -> String {
    (7_400_000_000_000_000_u64 + index as u64 * 7_919).to_string()
}

/// User `index` as a list page carries it (`id,userName,displayName,active`); every 13th is
/// deactivated.
pub fn user(index: usize) -> Value {
    let given = GIVEN_NAMES[index % GIVEN_NAMES.len()];
    // 27 is coprime with 50: the first 1,300 users are distinct and mixed like a real list.
    let family = FAMILY_NAMES
        [(index % GIVEN_NAMES.len() + 27 * (index / GIVEN_NAMES.len())) % FAMILY_NAMES.len()];
    let user_name = format!(
        "{}.{}@northwind.example",
        ascii_lower(given),
        ascii_lower(family)
    );
    json!({
        "id": user_id(index),
        "userName": user_name,
        "displayName": format!("{given} {family}"),
        "active": index % 13 != 12,
    })
}

/// A list of `resource` holding `items`, with the filter applied and nothing selected yet.
pub fn list_of(resource: Resource, items: &[Value]) -> ListState {
    let mut list = ListState::new(columns::default_sort(resource));
    list.push_rows(
        items
            .iter()
            .filter_map(|item| columns::row(resource, item, now())),
    );
    list
}

/// A finished list: the total is what was delivered.
pub fn loaded(resource: Resource, items: &[Value]) -> ListState {
    let mut list = list_of(resource, items);
    list.total = Some(list.rows.len());
    list
}

pub fn users(count: usize) -> Vec<Value> {
    (0..count).map(user).collect()
}

pub fn groups() -> Vec<Value> {
    [
        ("account users", ""),
        ("admins", ""),
        (
            "data-platform-admins",
            "3f9a1c2e-5b7d-4c1e-9a2f-6d8b0e4c7a15",
        ),
        ("data-engineering", "b2e4d6f8-1a3c-4e5f-8b7d-9c0a2e4f6b81"),
        ("analytics-emea", "c7d1e3f5-2b4a-4c6e-8d0f-1a3b5c7d9e02"),
        ("analytics-apac", "d8e2f4a6-3c5b-4d7f-9e1a-2b4c6d8e0f13"),
        ("finance-readers", "e9f3a5b7-4d6c-4e8a-8f2b-3c5d7e9f1a24"),
        ("ml-research", "f0a4b6c8-5e7d-4f9b-9a3c-4d6e8f0a2b35"),
        ("security-auditors", "0a1b2c3d-6f8e-4a0c-8b4d-5e7f9a1b3c46"),
        ("contractors-2024", ""),
        (
            "unity-catalog-owners",
            "1b2c3d4e-7a9f-4b1d-9c5e-6f8a0b2c4d57",
        ),
        ("workspace-creators", "2c3d4e5f-8b0a-4c2e-8d6f-7a9b1c3d5e68"),
    ]
    .iter()
    .enumerate()
    .map(|(index, (name, external_id))| {
        let mut group = json!({
            "id": (812_000_000_000_000_u64 + index as u64 * 104_729).to_string(),
            "displayName": name,
        });
        if !external_id.is_empty() {
            group["externalId"] = json!(external_id);
        }
        group
    })
    .collect()
}

pub fn service_principals() -> Vec<Value> {
    [
        ("ci-deployer", "2402f5cf-7f78-4152-98f5-8f0002115d8c", true),
        ("airflow-prod", "5e1d9a3b-0c2f-4b8e-a6d4-7f9c1e3a5b20", true),
        ("dbt-nightly", "8a7c6e5d-4b3a-4f2e-9d1c-0b9a8f7e6d51", true),
        (
            "terraform-account",
            "1c3e5a7b-9d2f-4e6a-8c0b-2d4f6a8c0e72",
            true,
        ),
        (
            "fivetran-ingest",
            "6b8d0f2a-4c6e-4a8b-9d1f-3e5a7c9e1b93",
            true,
        ),
        (
            "legacy-etl (do not use)",
            "9f1a3c5e-7b9d-4f1b-8e2a-4c6e8a0c2d04",
            false,
        ),
        (
            "monitoring-exporter",
            "3d5f7b9e-1a3c-4e5a-9b7d-5f7b9d1f3a15",
            true,
        ),
        (
            "mlflow-registry-sync",
            "7e9b1d3f-5a7c-4b9e-8f1a-6b8d0f2b4c26",
            true,
        ),
    ]
    .iter()
    .enumerate()
    .map(|(index, (name, application_id, active))| {
        json!({
            "id": (5_530_000_000_000_000_u64 + index as u64 * 15_485_863).to_string(),
            "applicationId": application_id,
            "displayName": name,
            "active": active,
        })
    })
    .collect()
}

/// User 0 in full, as `GET /scim/v2/Users/{id}` returns it.
pub fn user_detail() -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "id": user_id(0),
        "userName": "ines.moreau@northwind.example",
        "displayName": "Inès Moreau",
        "active": true,
        "externalId": "a41f0c7e-2d9b-4e6a-b3c8-5f1d7e9a0b24",
        "name": {"givenName": "Inès", "familyName": "Moreau"},
        "emails": [
            {"value": "ines.moreau@northwind.example", "type": "work", "primary": true}
        ],
        "groups": [
            {"display": "admins", "value": "812000000000104729", "$ref": "Groups/812000000000104729"},
            {"display": "data-platform-admins", "value": "812000000000209458", "$ref": "Groups/812000000000209458"}
        ],
        "roles": [{"value": "account_admin"}]
    })
}

/// The users list loaded with 40 fixture users, and the detail of user 0 open over it.
pub fn on_user_detail(data: Remote<Value>) -> AppState {
    let mut state = state_on(Resource::Users);
    state
        .lists
        .insert(Resource::Users, loaded(Resource::Users, &users(40)));
    state.routes.push(Route::Detail {
        resource: Resource::Users,
        id: user_id(0),
        title: "ines.moreau@northwind.example".into(),
    });
    state.detail = Some(detail(
        Resource::Users,
        &user_id(0),
        data,
        DetailMode::Fields,
    ));
    state
}

pub fn users_path() -> String {
    format!("/api/2.0/accounts/{ACCOUNT_ID}/scim/v2/Users")
}

pub fn permission_denied() -> ApiError {
    ApiError::new(
        "GET",
        &users_path(),
        ApiErrorKind::Http {
            status: 403,
            error_code: "PERMISSION_DENIED".into(),
            message: "User is not an account admin".into(),
            request_id: Some("5b0e9f0c-2d7a-4f4e-8a51-3c9d1e6b7a20".into()),
            scim_type: None,
        },
    )
}

pub fn service_busy() -> ApiError {
    ApiError::new(
        "GET",
        &users_path(),
        ApiErrorKind::RetriesExhausted {
            attempts: 6,
            last: Box::new(ApiErrorKind::Http {
                status: 503,
                error_code: "TEMPORARILY_UNAVAILABLE".into(),
                message: "The service is temporarily unavailable".into(),
                request_id: Some("c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f".into()),
                scim_type: None,
            }),
        },
    )
}

/// A name of about 10 KB: a realistic double-barrelled start, then the same repeated.
pub fn ten_kilobyte_name() -> String {
    let mut name = String::from("Hubert Blaine ");
    while name.len() < 10 * 1024 {
        name.push_str("Wolfeschlegelsteinhausenbergerdorff ");
    }
    name
}

/// Users whose names try to break the terminal or the layout.
pub fn hostile_users() -> Vec<Value> {
    let ten_kb = ten_kilobyte_name();
    let names: [(&str, &str); 10] = [
        ("eve@evil.example", "\u{1b}[31mred\u{1b}[0m alert"),
        ("clip@evil.example", "OSC \u{1b}]52;c;ZXZpbA==\u{7}copy"),
        ("bell@evil.example", "ring\u{7}\u{8}\u{8}back"),
        ("long@northwind.example", &ten_kb),
        ("ada@northwind.example", "👩‍💻 Ada 🇩🇪"),
        (
            "maryam.alhusseini@northwind.example",
            "\u{202e}مريم الحسيني",
        ),
        ("taro.yamada@northwind.example", "山田太郎"),
        ("lines@evil.example", "first line\nsecond line\r\nthird"),
        (
            "\u{1b}[2Jmallory@evil.example",
            "Mallory \u{1b}[1A\u{1b}[2K",
        ),
        ("zoe.tab@northwind.example", "Zoë\tTab\u{200b}Spaced"),
    ];
    names
        .iter()
        .enumerate()
        .map(|(index, (user_name, display_name))| {
            json!({
                "id": (9_100_000_000_000_000_u64 + index as u64).to_string(),
                "userName": user_name,
                "displayName": display_name,
                "active": true,
            })
        })
        .collect()
}

/// A detail as `update` builds it: lines made from the data and mode at the fixed clock.
pub fn detail(resource: Resource, id: &str, data: Remote<Value>, mode: DetailMode) -> Detail {
    let mut detail = Detail {
        resource,
        id: id.into(),
        data,
        mode,
        lines: Vec::new(),
        selected: 0,
        offset: 0,
    };
    navigate::rebuild(&mut detail, now());
    detail
}
