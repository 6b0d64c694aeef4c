//! Deterministic seed data: segments, action targets and a synthetic journey event store.
//! Everything derives from one `seed` through a small SplitMix64 generator; events are laid out
//! relative to an `anchor` (the current hour) so "the last 30 days" always has data.
use serde_json::{json, Value};

pub struct Prng(u64);

impl Prng {
    pub fn new(seed: u64) -> Self {
        Prng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [0, n).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next_u64() % n
        }
    }
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
    pub fn weighted<'a, T>(&mut self, items: &'a [(T, u32)]) -> &'a T {
        let total: u32 = items.iter().map(|(_, w)| *w).sum();
        let mut r = self.below(total as u64) as u32;
        for (t, w) in items {
            if r < *w {
                return t;
            }
            r -= w;
        }
        &items[items.len() - 1].0
    }
    pub fn uuid(&mut self) -> String {
        let a = self.next_u64();
        let b = self.next_u64();
        let mut bytes = [0u8; 16];
        bytes[..8].copy_from_slice(&a.to_be_bytes());
        bytes[8..].copy_from_slice(&b.to_be_bytes());
        bytes[6] = (bytes[6] & 0x0f) | 0x40;
        bytes[8] = (bytes[8] & 0x3f) | 0x80;
        uuid::Uuid::from_bytes(bytes).to_string()
    }
}

pub fn iso_ms(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .format("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string()
}

/// One row of the synthetic event store.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub ts: i64,
    /// The metric this event counts towards (e.g. `nJourneySessions`, `nWebActionsOffered`).
    pub kind: String,
    pub session_id: String,
    pub session_type: String,
    pub device_category: String,
    pub device_type: String,
    pub country: String,
    pub segment_id: Option<String>,
    pub assignment_state: Option<String>,
    pub outcome_id: Option<String>,
    pub action_id: Option<String>,
    pub action_target_id: Option<String>,
    pub media_type: Option<String>,
    pub value: Option<f64>,
}

pub struct SeedData {
    pub segments: Vec<Value>,
    pub action_targets: Vec<Value>,
    pub outcome_ids: Vec<String>,
}

// 2025-01-06T00:00:00Z: seeded documents get fixed dates after this, so same seed -> same documents.
const DOC_EPOCH_MS: i64 = 1_736_121_600_000;
const DAY_MS: i64 = 86_400_000;

const COLORS: &[&str] = &[
    "#1F77B4", "#FF7F0E", "#2CA02C", "#D62728", "#9467BD", "#8C564B", "#E377C2", "#7F7F7F",
    "#BCBD22", "#17BECF", "#0B5394", "#38761D",
];

fn criteria(key: &str, op: &str, values: &[&str], ignore_case: bool) -> Value {
    json!({"key": key, "values": values, "shouldIgnoreCase": ignore_case, "operator": op})
}
fn ctx_criteria(key: &str, op: &str, values: &[&str]) -> Value {
    json!({"key": key, "values": values, "shouldIgnoreCase": true, "operator": op, "entityType": "visit"})
}
fn web_pattern(key: &str, op: &str, values: &[&str], count: u32) -> Value {
    json!({"criteria": [criteria(key, op, values, true)], "count": count, "streamType": "Web", "sessionType": "web"})
}
fn app_pattern(event: &str, key: &str, op: &str, values: &[&str], count: u32) -> Value {
    json!({"criteria": [criteria(key, op, values, false)], "count": count, "streamType": "App", "sessionType": "app", "eventName": event})
}

/// (name, description, is app, context criteria, journey patterns)
fn themes() -> Vec<(&'static str, &'static str, bool, Vec<Value>, Vec<Value>)> {
    vec![
        ("Pricing page visitors", "Visitors who viewed the pricing page", false, vec![],
         vec![web_pattern("page.url", "containsAny", &["/pricing"], 1)]),
        ("Cart abandoners", "Added to cart twice without reaching checkout", false, vec![],
         vec![web_pattern("page.pathname", "startsWith", &["/cart"], 2)]),
        ("Checkout starters", "Reached the checkout page", false, vec![],
         vec![web_pattern("page.url", "containsAll", &["/checkout", "step=1"], 1)]),
        ("Mobile web shoppers", "Browsing the shop from a phone", false,
         vec![ctx_criteria("device.category", "equal", &["mobile"])],
         vec![web_pattern("page.pathname", "startsWith", &["/shop"], 1)]),
        ("Desktop researchers", "Desktop visitors reading three or more product pages", false,
         vec![ctx_criteria("device.category", "equal", &["desktop"])],
         vec![web_pattern("page.title", "containsAny", &["Product", "Compare"], 3)]),
        ("UK visitors", "Visits geolocated to the United Kingdom", false,
         vec![ctx_criteria("geolocation.countryName", "equal", &["United Kingdom"])], vec![]),
        ("DACH region visitors", "Visits from Germany, Austria and Switzerland", false,
         vec![ctx_criteria("geolocation.country", "containsAny", &["DE", "AT", "CH"])], vec![]),
        ("Support article readers", "Read help-centre articles", false, vec![],
         vec![web_pattern("page.hostname", "equal", &["help.example.com"], 2)]),
        ("Campaign landing - spring sale", "Arrived from the spring sale email campaign", false,
         vec![ctx_criteria("mktCampaign.source", "equal", &["newsletter"]), ctx_criteria("mktCampaign.name", "startsWith", &["spring"])],
         vec![]),
        ("Paid search arrivals", "Visitors referred by paid search", false,
         vec![ctx_criteria("referrer.medium", "equal", &["cpc"])], vec![]),
        ("Loan calculator users", "Used the loan calculator at least twice", false, vec![],
         vec![web_pattern("page.url", "endsWith", &["/loan-calculator"], 2)]),
        ("Frequent visitors", "Five or more page views in a visit", false, vec![],
         vec![web_pattern("page.domain", "equal", &["www.example.com"], 5)]),
        ("Tablet browsers", "Visits from tablets", false,
         vec![ctx_criteria("device.category", "equal", &["tablet"])], vec![]),
        ("Postal code 10001 visitors", "Visits from a Manhattan postal code", false,
         vec![ctx_criteria("geolocation.postalCode", "equal", &["10001"])], vec![]),
        ("App onboarding incomplete", "Opened the app but skipped onboarding", true, vec![],
         vec![app_pattern("screen_viewed", "attributes.screenName.value", "equal", &["onboarding_step_1"], 1)]),
        ("App premium explorers", "Viewed the premium plan screen in the app", true, vec![],
         vec![app_pattern("screen_viewed", "attributes.screenName.value", "containsAny", &["premium", "upgrade"], 2)]),
        ("App payment failures", "Hit a payment error in the app", true, vec![],
         vec![app_pattern("payment_failed", "attributes.errorCode.value", "notEqual", &["0"], 1)]),
        ("iOS app users", "Sessions from the iOS app", true,
         vec![ctx_criteria("device.osFamily", "equal", &["iOS"])], vec![]),
        ("Android app users", "Sessions from the Android app", true,
         vec![ctx_criteria("device.osFamily", "equal", &["Android"])], vec![]),
        ("App order trackers", "Checked order status in the app three times", true, vec![],
         vec![app_pattern("order_status_viewed", "attributes.orderState.value", "containsAny", &["shipped", "delayed"], 3)]),
    ]
}

pub fn generate_documents(seed: u64) -> SeedData {
    let mut r = Prng::new(seed);
    let variants = ["", "returning", "new"];
    let mut segments = Vec::new();
    let themes = themes();
    // 40 segments: every theme once, then again as a "returning"/"new" variant.
    for i in 0..40usize {
        let (name, desc, is_app, ctx, journey) = &themes[i % themes.len()];
        let variant = variants[(i / themes.len()).min(2) + usize::from(i >= themes.len() && r.chance(0.5))];
        let display_name = if variant.is_empty() { name.to_string() } else { format!("{name} ({variant})") };
        let id = r.uuid();
        let created = DOC_EPOCH_MS + r.below(300) as i64 * DAY_MS + r.below(DAY_MS as u64) as i64;
        let version = 1 + r.below(4) as i64;
        let modified = if version == 1 { created } else { created + r.below(60) as i64 * DAY_MS + r.below(DAY_MS as u64) as i64 };
        let is_active = r.chance(0.75);
        let scope = if *is_app || r.chance(0.6) { "Session" } else { "Customer" };
        let mut doc = json!({
            "id": id,
            "isActive": is_active,
            "displayName": display_name,
            "version": version,
            "description": desc,
            "color": r.pick(COLORS),
            "scope": scope,
            "shouldDisplayToAgent": r.chance(0.4),
            "context": {"patterns": if ctx.is_empty() { vec![] } else { vec![json!({"criteria": ctx})] }},
            "journey": {"patterns": journey},
            "createdDate": iso_ms(created),
            "modifiedDate": iso_ms(modified),
            "selfUri": format!("/api/v2/journey/segments/{id}"),
        });
        if scope == "Customer" {
            doc["assignmentExpirationDays"] = json!(1 + r.below(30));
        }
        if i % 9 == 4 {
            let source = if r.chance(0.5) { "AdobeExperiencePlatform" } else { "Custom" };
            doc["externalSegment"] = json!({"id": format!("ext-{}", r.below(1_000_000)), "name": format!("{name} audience"), "source": source});
            doc["context"] = json!({"patterns": []});
            doc["journey"] = json!({"patterns": []});
        }
        segments.push(doc);
    }

    let targets = [
        ("Sales queue", vec!["webchat", "messaging", "callback"]),
        ("Support queue", vec!["webchat", "messaging", "email"]),
        ("Premium support", vec!["call", "callback", "webchat"]),
        ("Billing", vec!["email", "messaging"]),
        ("Mortgage advisors", vec!["call", "callback"]),
        ("Social care", vec!["social", "messaging"]),
        ("Retention team", vec!["webchat", "call"]),
        ("After-hours bot", vec!["generic", "messaging"]),
    ];
    let mut action_targets = Vec::new();
    for (name, media) in targets.iter() {
        let id = r.uuid();
        let created = DOC_EPOCH_MS + r.below(200) as i64 * DAY_MS;
        let modified = created + r.below(90) as i64 * DAY_MS;
        let state = if r.chance(0.85) { "active" } else { "inactive" };
        let pct = [0.8, 0.85, 0.9, 0.95][r.below(4) as usize];
        let dur = 10_000 * (1 + r.below(6) as i64);
        action_targets.push(json!({
            "id": id,
            "name": name,
            "userData": [{"key": "queueId", "value": r.uuid()}],
            "supportedMediaTypes": media,
            "state": state,
            "description": format!("Routes journey actions to the {name} queue"),
            "serviceLevel": {"percentage": pct, "durationMs": dur},
            "shortAbandonThreshold": 5 + r.below(3) as i64 * 5,
            "selfUri": format!("/api/v2/journey/actiontargets/{id}"),
            "createdDate": iso_ms(created),
            "modifiedDate": iso_ms(modified),
        }));
    }
    let outcome_ids = (0..5).map(|_| r.uuid()).collect();
    SeedData { segments, action_targets, outcome_ids }
}

/// The synthetic event store: sessions over the 30 days before `anchor_ms`.
pub fn generate_events(seed: u64, anchor_ms: i64, data: &SeedData) -> Vec<Event> {
    let mut r = Prng::new(seed.wrapping_mul(31).wrapping_add(7));
    let web_segs: Vec<&str> = data.segments.iter()
        .filter(|s| s["journey"]["patterns"].get(0).map(|p| p["streamType"] != "App").unwrap_or(true))
        .map(|s| s["id"].as_str().unwrap()).collect();
    let app_segs: Vec<&str> = data.segments.iter()
        .filter(|s| s["journey"]["patterns"].get(0).map(|p| p["streamType"] == "App").unwrap_or(true))
        .map(|s| s["id"].as_str().unwrap()).collect();
    let targets: Vec<(String, Vec<String>)> = data.action_targets.iter().map(|t| {
        (t["id"].as_str().unwrap().to_string(),
         t["supportedMediaTypes"].as_array().unwrap().iter().map(|m| m.as_str().unwrap().to_string()).collect())
    }).collect();
    let countries: &[(&str, u32)] = &[("US", 40), ("GB", 15), ("DE", 10), ("FR", 8), ("IE", 5), ("AU", 6), ("JP", 5), ("BR", 4), ("CA", 5), ("IN", 2)];
    let n_sessions = 3000;
    let mut events = Vec::with_capacity(n_sessions * 6);
    for _ in 0..n_sessions {
        let session_id = r.uuid();
        // Busier in daytime: pick a day, then an hour weighted towards 08-20 UTC.
        let day = r.below(30) as i64;
        let hour = if r.chance(0.75) { 8 + r.below(12) } else { r.below(24) } as i64;
        let mut ts = anchor_ms - (day + 1) * DAY_MS + hour * 3_600_000 + r.below(3_600_000) as i64;
        if ts >= anchor_ms {
            ts = anchor_ms - 1 - r.below(3_600_000) as i64;
        }
        let is_app = r.chance(0.25);
        let session_type = if is_app { "app" } else { "web" };
        let device_category = if is_app {
            *r.weighted(&[("mobile", 85), ("tablet", 15)])
        } else {
            *r.weighted(&[("desktop", 55), ("mobile", 35), ("tablet", 10)])
        };
        let device_type = match device_category {
            "desktop" => *r.pick(&["Windows PC", "Mac", "Linux PC"]),
            "mobile" => *r.pick(&["iPhone", "Android phone"]),
            _ => *r.pick(&["iPad", "Android tablet"]),
        };
        let country = *r.weighted(countries);
        let base = Event {
            ts, kind: "nJourneySessions".into(), session_id: session_id.clone(),
            session_type: session_type.into(), device_category: device_category.into(),
            device_type: device_type.into(), country: country.into(),
            segment_id: None, assignment_state: None, outcome_id: None, action_id: None,
            action_target_id: None, media_type: None, value: None,
        };
        let mut t = ts;
        let mut step = |r: &mut Prng| { t = (t + 1000 + r.below(120_000) as i64).min(anchor_ms - 1); t };
        events.push(base.clone());
        let pool = if is_app { &app_segs } else { &web_segs };
        let mut assigned: Vec<String> = Vec::new();
        for _ in 0..r.below(4) {
            let seg = r.pick(pool).to_string();
            if assigned.contains(&seg) { continue; }
            let ts = step(&mut r);
            events.push(Event { ts, kind: "nJourneySegmentsAssigned".into(), segment_id: Some(seg.clone()), assignment_state: Some("Assigned".into()), ..base.clone() });
            if r.chance(0.1) {
                let ts = step(&mut r);
                events.push(Event { ts, kind: "segmentUnassigned".into(), segment_id: Some(seg.clone()), assignment_state: Some("Unassigned".into()), ..base.clone() });
            }
            assigned.push(seg);
        }
        let mut accepted = false;
        if !assigned.is_empty() && r.chance(0.45) {
            let (target, media) = r.pick(&targets).clone();
            let m = r.pick(&media).clone();
            let action = Event {
                action_id: Some(r.uuid()), action_target_id: Some(target), media_type: Some(m),
                segment_id: Some(assigned[0].clone()), ..base.clone()
            };
            let mut emit = |kind: &str, r: &mut Prng, ev: &mut Vec<Event>| {
                let ts = step(r);
                ev.push(Event { ts, kind: kind.into(), ..action.clone() });
            };
            let outside = r.chance(0.08);
            emit(if outside { "nWebActionsQualifiedOutsideSchedule" } else { "nWebActionsQualified" }, &mut r, &mut events);
            if r.chance(0.06) {
                emit("nJourneyActionsBlocked", &mut r, &mut events);
            } else if r.chance(0.05) {
                emit("nWebActionsFrequencyCapReached", &mut r, &mut events);
            } else {
                emit(if outside { "nWebActionsOfferedOutsideSchedule" } else { "nWebActionsOffered" }, &mut r, &mut events);
                let x = r.unit();
                if x < 0.55 {
                    emit("nWebActionsEngaged", &mut r, &mut events);
                    if r.chance(0.7) {
                        emit("nWebActionsAccepted", &mut r, &mut events);
                        accepted = true;
                        emit("nWebActionsStarted", &mut r, &mut events);
                        if r.chance(0.08) { emit("nWebActionsAbandoned", &mut r, &mut events); }
                        else if r.chance(0.03) { emit("nWebActionsErrored", &mut r, &mut events); }
                    } else {
                        emit("nWebActionsRejected", &mut r, &mut events);
                    }
                } else if x < 0.8 {
                    emit("nWebActionsIgnored", &mut r, &mut events);
                } else {
                    emit("nWebActionsTimedout", &mut r, &mut events);
                }
            }
        }
        if r.chance(if accepted { 0.45 } else { 0.12 }) {
            let outcome = r.pick(&data.outcome_ids).clone();
            let value = (10 + r.below(490)) as f64;
            let ts = step(&mut r);
            events.push(Event { ts, kind: "nJourneyOutcomesAchieved".into(), outcome_id: Some(outcome.clone()), value: Some(value), ..base.clone() });
            if accepted && r.chance(0.6) {
                let ts = step(&mut r);
                events.push(Event { ts, kind: "nJourneyOutcomesAttributed".into(), outcome_id: Some(outcome), value: Some((value * 0.5).round()), ..base.clone() });
            }
        }
    }
    events.sort_by_key(|e| e.ts);
    events
}
