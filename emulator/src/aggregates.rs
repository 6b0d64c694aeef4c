//! POST /api/v2/analytics/journeys/aggregates/query, computed from the event store.
use crate::error::ApiError;
use crate::seed::{iso_ms, Event};
use crate::validate::{as_object, check_enum, get, opt_array, opt_bool, opt_num, opt_str, req_array, req_str};
use chrono::{DateTime, Datelike, FixedOffset, NaiveDateTime, TimeZone};
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, HashSet};

pub const METRICS: &[&str] = &[
    "nDistinctJourneyActions", "nDistinctJourneySessions", "nJourneyActionsBlocked", "nJourneyOutcomesAchieved",
    "nJourneyOutcomesAttributed", "nJourneySegmentsAssigned", "nJourneySessions", "nWebActionsAbandoned",
    "nWebActionsAccepted", "nWebActionsEngaged", "nWebActionsErrored", "nWebActionsFrequencyCapReached",
    "nWebActionsIgnored", "nWebActionsOffered", "nWebActionsOfferedOutsideSchedule", "nWebActionsQualified",
    "nWebActionsQualifiedOutsideSchedule", "nWebActionsRejected", "nWebActionsStarted", "nWebActionsTimedout",
    "oJourneyOutcomeTouchpointValue", "oJourneyOutcomeValue",
];

pub const DIMENSIONS: &[&str] = &[
    "containsAllCondition", "containsAnyCondition", "endsWithCondition", "equalCondition", "journeyActionId",
    "journeyActionMapId", "journeyActionMapVersion", "journeyActionMediaType", "journeyActionTargetId",
    "journeyActionTemplateId", "journeyBlockingActionMapId", "journeyBlockingEmergencyScheduleGroupId",
    "journeyBlockingReason", "journeyBlockingScheduleGroupId", "journeyDeviceCategory", "journeyDeviceType",
    "journeyFrequencyCapReason", "journeyIpGeolocationCountry", "journeyOutcomeId", "journeySegmentAssignmentState",
    "journeySegmentId", "journeySessionId", "journeySessionSegmentId", "journeySessionType", "notContainsAllCondition",
    "notContainsAnyCondition", "notEqualCondition", "startsWithCondition", "touchpointActionMapId", "touchpointAgentId",
    "touchpointAttributionScope", "touchpointChannelMessageType", "touchpointChannelPlatform", "touchpointChannelType",
    "touchpointConversationId", "touchpointInteractionType", "touchpointQueueId", "touchpointRequestedRouting",
    "touchpointUsedRouting", "touchpointWrapupCode",
];

pub const SUPPORTED_DIMENSIONS: &[&str] = &[
    "journeySegmentId", "journeySessionType", "journeyDeviceCategory", "journeyDeviceType",
    "journeyIpGeolocationCountry", "journeyOutcomeId", "journeyActionTargetId", "journeyActionMediaType",
    "journeySegmentAssignmentState", "journeySessionId", "journeyActionId",
];

fn dim_value<'a>(e: &'a Event, dim: &str) -> Option<&'a str> {
    match dim {
        "journeySegmentId" => e.segment_id.as_deref(),
        "journeySessionType" => Some(&e.session_type),
        "journeyDeviceCategory" => Some(&e.device_category),
        "journeyDeviceType" => Some(&e.device_type),
        "journeyIpGeolocationCountry" => Some(&e.country),
        "journeyOutcomeId" => e.outcome_id.as_deref(),
        "journeyActionTargetId" => e.action_target_id.as_deref(),
        "journeyActionMediaType" => e.media_type.as_deref(),
        "journeySegmentAssignmentState" => e.assignment_state.as_deref(),
        "journeySessionId" => Some(&e.session_id),
        "journeyActionId" => e.action_id.as_deref(),
        _ => None,
    }
}

fn check_dimension(d: &str, path: &str) -> Result<(), ApiError> {
    check_enum(d, DIMENSIONS, path)?;
    if !SUPPORTED_DIMENSIONS.contains(&d) {
        return Err(ApiError::invalid(path, format!("dimension '{d}' is not supported by the emulator (supported: {})", SUPPORTED_DIMENSIONS.join(", "))));
    }
    Ok(())
}

#[derive(Clone, Copy, Debug)]
pub enum Zone {
    Fixed(FixedOffset),
    Iana(chrono_tz::Tz),
}

impl Zone {
    pub fn parse(s: &str) -> Result<Zone, ApiError> {
        if s == "UTC" || s == "Z" || s == "Etc/UTC" || s == "GMT" {
            return Ok(Zone::Fixed(FixedOffset::east_opt(0).unwrap()));
        }
        if let Some(off) = parse_offset(s) {
            return Ok(Zone::Fixed(off));
        }
        s.parse::<chrono_tz::Tz>()
            .map(Zone::Iana)
            .map_err(|_| ApiError::invalid("timeZone", format!("'{s}' is not a known IANA time zone")))
    }
    fn to_local(&self, ms: i64) -> NaiveDateTime {
        let utc = DateTime::from_timestamp_millis(ms).unwrap_or_default();
        match self {
            Zone::Fixed(o) => utc.with_timezone(o).naive_local(),
            Zone::Iana(tz) => utc.with_timezone(tz).naive_local(),
        }
    }
    fn from_local(&self, n: NaiveDateTime) -> Option<i64> {
        match self {
            Zone::Fixed(o) => o.from_local_datetime(&n).earliest().map(|d| d.timestamp_millis()),
            Zone::Iana(tz) => tz
                .from_local_datetime(&n)
                .earliest()
                .or_else(|| tz.from_local_datetime(&(n + chrono::Duration::hours(1))).earliest())
                .map(|d| d.timestamp_millis()),
        }
    }
}

/// "+02:00", "-0530", "UTC+2", "GMT-03:00".
fn parse_offset(s: &str) -> Option<FixedOffset> {
    let t = s.strip_prefix("UTC").or_else(|| s.strip_prefix("GMT")).unwrap_or(s);
    let (sign, rest) = match t.chars().next()? {
        '+' => (1, &t[1..]),
        '-' => (-1, &t[1..]),
        _ => return None,
    };
    let digits: String = rest.chars().filter(|c| *c != ':').collect();
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) || digits.len() > 4 {
        return None;
    }
    let (h, m) = if digits.len() <= 2 { (digits.parse::<i32>().ok()?, 0) } else {
        let (a, b) = digits.split_at(digits.len() - 2);
        (a.parse::<i32>().ok()?, b.parse::<i32>().ok()?)
    };
    if h > 18 || m > 59 { return None; }
    FixedOffset::east_opt(sign * (h * 3600 + m * 60))
}

fn parse_instant(s: &str, zone: Zone, field: &str) -> Result<i64, ApiError> {
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Ok(d.timestamp_millis());
    }
    for f in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M"] {
        if let Ok(n) = NaiveDateTime::parse_from_str(s, f) {
            return zone.from_local(n).ok_or_else(|| ApiError::invalid(field, format!("'{s}' does not exist in the time zone")));
        }
    }
    if let Ok(d) = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return zone.from_local(d.and_hms_opt(0, 0, 0).unwrap()).ok_or_else(|| ApiError::invalid(field, "invalid date"));
    }
    Err(ApiError::invalid(field, format!("'{s}' is not an ISO-8601 date-time (e.g. 2024-01-01T00:00:00.000Z)")))
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Period {
    pub months: i64,
    pub days: i64,
    pub millis: i64,
}

/// ISO-8601 duration: PnYnMnWnDTnHnMnS (integer parts; seconds may be fractional).
pub fn parse_period(s: &str) -> Option<Period> {
    let rest = s.strip_prefix('P')?;
    let mut p = Period { months: 0, days: 0, millis: 0 };
    let mut in_time = false;
    let mut num = String::new();
    let mut any = false;
    for c in rest.chars() {
        match c {
            'T' if !in_time && num.is_empty() => in_time = true,
            '0'..='9' | '.' => num.push(c),
            _ => {
                if num.is_empty() { return None; }
                let n: f64 = num.parse().ok()?;
                if c != 'S' && n.fract() != 0.0 { return None; }
                let i = n as i64;
                match (in_time, c) {
                    (false, 'Y') => p.months += 12 * i,
                    (false, 'M') => p.months += i,
                    (false, 'W') => p.days += 7 * i,
                    (false, 'D') => p.days += i,
                    (true, 'H') => p.millis += i * 3_600_000,
                    (true, 'M') => p.millis += i * 60_000,
                    (true, 'S') => p.millis += (n * 1000.0) as i64,
                    _ => return None,
                }
                num.clear();
                any = true;
            }
        }
    }
    if !num.is_empty() || !any || (p.months == 0 && p.days == 0 && p.millis == 0) { return None; }
    Some(p)
}

fn add_period(ms: i64, p: Period, zone: Zone) -> i64 {
    let mut t = ms;
    if p.months != 0 || p.days != 0 {
        let mut local = zone.to_local(t);
        if p.months != 0 {
            let total = local.year() as i64 * 12 + local.month0() as i64 + p.months;
            let (y, m0) = (total.div_euclid(12) as i32, total.rem_euclid(12) as u32);
            let mut day = local.day();
            loop {
                if let Some(d) = chrono::NaiveDate::from_ymd_opt(y, m0 + 1, day) {
                    local = d.and_time(local.time());
                    break;
                }
                day -= 1;
            }
        }
        local += chrono::Duration::days(p.days);
        t = zone.from_local(local).unwrap_or(t + p.days * 86_400_000);
    }
    t + p.millis
}

enum Pred {
    Matches(String, String),
    Exists(String),
    NotExists(String),
}

struct Group {
    and: bool,
    preds: Vec<Pred>,
    clauses: Vec<(bool, Vec<Pred>)>,
}

fn eval_pred(p: &Pred, e: &Event) -> bool {
    match p {
        Pred::Matches(d, v) => dim_value(e, d) == Some(v.as_str()),
        Pred::Exists(d) => dim_value(e, d).is_some(),
        Pred::NotExists(d) => dim_value(e, d).is_none(),
    }
}

fn combine(and: bool, items: impl Iterator<Item = bool>) -> bool {
    let mut items = items.peekable();
    if items.peek().is_none() { return true; }
    let mut items = items;
    if and { items.all(|b| b) } else { items.any(|b| b) }
}

impl Group {
    fn eval(&self, e: &Event) -> bool {
        let preds = self.preds.iter().map(|p| eval_pred(p, e));
        let clauses = self.clauses.iter().map(|(and, ps)| combine(*and, ps.iter().map(|p| eval_pred(p, e))));
        combine(self.and, preds.chain(clauses))
    }
}

fn parse_predicates(list: &[Value], path: &str) -> Result<Vec<Pred>, ApiError> {
    let mut out = Vec::new();
    for (i, p) in list.iter().enumerate() {
        let pp = format!("{path}[{i}]");
        let o = as_object(p, &pp)?;
        let ty = opt_str(o, "type", &pp)?.unwrap_or("dimension");
        check_enum(ty, &["dimension", "property", "metric"], &format!("{pp}.type"))?;
        if ty != "dimension" {
            return Err(ApiError::invalid(&format!("{pp}.type"), format!("predicate type '{ty}' is not supported by the emulator")));
        }
        if get(o, "range").is_some() {
            return Err(ApiError::invalid(&format!("{pp}.range"), "range predicates are not supported by the emulator"));
        }
        let dim = req_str(o, "dimension", &pp)?;
        check_dimension(dim, &format!("{pp}.dimension"))?;
        let op = opt_str(o, "operator", &pp)?.unwrap_or("matches");
        check_enum(op, &["matches", "exists", "notExists"], &format!("{pp}.operator"))?;
        out.push(match op {
            "matches" => Pred::Matches(dim.to_string(), req_str(o, "value", &pp)?.to_string()),
            "exists" => Pred::Exists(dim.to_string()),
            _ => Pred::NotExists(dim.to_string()),
        });
    }
    Ok(out)
}

fn parse_filter(v: &Value) -> Result<Group, ApiError> {
    let o = as_object(v, "filter")?;
    let ty = req_str(o, "type", "filter")?;
    check_enum(ty, &["and", "or"], "filter.type")?;
    let preds = match opt_array(o, "predicates", "filter")? {
        Some(a) => parse_predicates(a, "filter.predicates")?,
        None => vec![],
    };
    let mut clauses = Vec::new();
    for (i, c) in opt_array(o, "clauses", "filter")?.into_iter().flatten().enumerate() {
        let cp = format!("filter.clauses[{i}]");
        let co = as_object(c, &cp)?;
        let cty = req_str(co, "type", &cp)?;
        check_enum(cty, &["and", "or"], &format!("{cp}.type"))?;
        if get(co, "clauses").is_some() {
            return Err(ApiError::invalid(&format!("{cp}.clauses"), "filters nest up to two levels: a clause holds predicates only"));
        }
        let ps = parse_predicates(req_array(co, "predicates", &cp)?, &format!("{cp}.predicates"))?;
        clauses.push((cty == "and", ps));
    }
    if preds.is_empty() && clauses.is_empty() {
        return Err(ApiError::invalid("filter", "needs at least one predicate or clause"));
    }
    Ok(Group { and: ty == "and", preds, clauses })
}

struct View {
    name: String,
    target: String,
    gte: Option<f64>,
    lt: Option<f64>,
}

#[derive(Default, Clone)]
struct Acc {
    count: u64,
    sum: f64,
    min: f64,
    max: f64,
    distinct: HashSet<String>,
    values: Vec<f64>,
}

impl Acc {
    fn add(&mut self, v: f64, keep: bool) {
        if self.count == 0 { self.min = v; self.max = v; }
        self.count += 1;
        self.sum += v;
        self.min = self.min.min(v);
        self.max = self.max.max(v);
        if keep { self.values.push(v); }
    }
}

/// What an event contributes to a metric: Some(observed value) or None.
fn contribution<'a>(metric: &str, e: &'a Event) -> Option<(f64, Option<&'a str>)> {
    match metric {
        "nDistinctJourneySessions" => (e.kind == "nJourneySessions").then_some((1.0, Some(e.session_id.as_str()))),
        "nDistinctJourneyActions" => e.action_id.as_deref().map(|a| (1.0, Some(a))),
        "oJourneyOutcomeValue" => (e.kind == "nJourneyOutcomesAchieved").then(|| (e.value.unwrap_or(0.0), None)),
        "oJourneyOutcomeTouchpointValue" => (e.kind == "nJourneyOutcomesAttributed").then(|| (e.value.unwrap_or(0.0), None)),
        m => (e.kind == m).then_some((1.0, None)),
    }
}

pub struct Query {
    start: i64,
    end: i64,
    buckets: Vec<i64>,
    group_by: Vec<String>,
    filter: Option<Group>,
    metrics: Vec<String>,
    views: Vec<View>,
}

pub fn parse_query(body: &Value) -> Result<Query, ApiError> {
    let o = as_object(body, "body")?;
    let zone = match opt_str(o, "timeZone", "")? {
        Some(z) => Zone::parse(z)?,
        None => Zone::Fixed(FixedOffset::east_opt(0).unwrap()),
    };
    let interval = req_str(o, "interval", "")?;
    let (a, b) = interval
        .split_once('/')
        .ok_or_else(|| ApiError::invalid("interval", "must be an ISO-8601 interval 'start/end'"))?;
    let start = parse_instant(a, zone, "interval")?;
    let end = parse_instant(b, zone, "interval")?;
    if end <= start {
        return Err(ApiError::invalid("interval", "the end must be after the start"));
    }
    let mut buckets = vec![start];
    if let Some(g) = opt_str(o, "granularity", "")? {
        let p = parse_period(g).ok_or_else(|| ApiError::invalid("granularity", format!("'{g}' is not an ISO-8601 duration such as PT1H or P1D")))?;
        let mut t = start;
        loop {
            let next = add_period(t, p, zone);
            if next <= t { return Err(ApiError::invalid("granularity", "must be positive")); }
            if next >= end { break; }
            buckets.push(next);
            t = next;
            if buckets.len() > 10_000 {
                return Err(ApiError::invalid("granularity", "too many intervals (more than 10000) for the query interval"));
            }
        }
    }
    let metrics_v = req_array(o, "metrics", "")?;
    if metrics_v.is_empty() {
        return Err(ApiError::invalid("metrics", "at least one metric is required"));
    }
    let mut metrics = Vec::new();
    for (i, m) in metrics_v.iter().enumerate() {
        let path = format!("metrics[{i}]");
        let s = m.as_str().ok_or_else(|| ApiError::invalid(&path, "must be a string"))?;
        check_enum(s, METRICS, &path)?;
        if !metrics.iter().any(|x: &String| x == s) { metrics.push(s.to_string()); }
    }
    let mut group_by = Vec::new();
    for (i, g) in opt_array(o, "groupBy", "")?.into_iter().flatten().enumerate() {
        let path = format!("groupBy[{i}]");
        let s = g.as_str().ok_or_else(|| ApiError::invalid(&path, "must be a string"))?;
        check_dimension(s, &path)?;
        if !group_by.iter().any(|x: &String| x == s) { group_by.push(s.to_string()); }
    }
    let filter = match get(o, "filter") { Some(f) => Some(parse_filter(f)?), None => None };
    let mut views = Vec::new();
    let mut names = HashSet::new();
    for (i, v) in opt_array(o, "views", "")?.into_iter().flatten().enumerate() {
        let vp = format!("views[{i}]");
        let vo = as_object(v, &vp)?;
        let target = req_str(vo, "target", &vp)?;
        check_enum(target, METRICS, &format!("{vp}.target"))?;
        let name = req_str(vo, "name", &vp)?;
        if METRICS.contains(&name) { return Err(ApiError::invalid(&format!("{vp}.name"), "must not be a built-in metric name")); }
        if !names.insert(name.to_string()) { return Err(ApiError::invalid(&format!("{vp}.name"), format!("'{name}' is not unique"))); }
        let f = req_str(vo, "function", &vp)?;
        check_enum(f, &["rangeBound"], &format!("{vp}.function"))?;
        let (gte, lt) = match get(vo, "range") {
            Some(r) => { let ro = as_object(r, &format!("{vp}.range"))?; (opt_num(ro, "gte", &format!("{vp}.range"))?, opt_num(ro, "lt", &format!("{vp}.range"))?) }
            None => (None, None),
        };
        views.push(View { name: name.to_string(), target: target.to_string(), gte, lt });
    }
    if let Some(a) = opt_str(o, "alternateTimeDimension", "")? { check_enum(a, &["eventTime"], "alternateTimeDimension")?; }
    opt_bool(o, "flattenMultivaluedDimensions", "")?;
    Ok(Query { start, end, buckets, group_by, filter, metrics, views })
}

pub fn run(q: &Query, events: &[Event]) -> Value {
    // group key -> bucket index -> metric/view accumulators
    type Cell = (BTreeMap<usize, Acc>, BTreeMap<usize, Acc>);
    let mut groups: BTreeMap<Vec<(String, String)>, BTreeMap<usize, Cell>> = BTreeMap::new();
    for e in events {
        if e.ts < q.start || e.ts >= q.end { continue; }
        if let Some(f) = &q.filter { if !f.eval(e) { continue; } }
        let key: Vec<(String, String)> = q.group_by.iter()
            .filter_map(|d| dim_value(e, d).map(|v| (d.clone(), v.to_string()))).collect();
        let b = q.buckets.partition_point(|s| *s <= e.ts) - 1;
        for (mi, m) in q.metrics.iter().enumerate() {
            if let Some((v, distinct)) = contribution(m, e) {
                let cell = groups.entry(key.clone()).or_default().entry(b).or_default();
                let acc = cell.0.entry(mi).or_default();
                match distinct {
                    Some(d) => { acc.distinct.insert(d.to_string()); }
                    None => acc.add(v, false),
                }
            }
        }
        for (vi, view) in q.views.iter().enumerate() {
            if let Some((v, _)) = contribution(&view.target, e) {
                if view.gte.map(|g| v >= g).unwrap_or(true) && view.lt.map(|l| v < l).unwrap_or(true) {
                    let cell = groups.entry(key.clone()).or_default().entry(b).or_default();
                    cell.1.entry(vi).or_default().add(v, false);
                }
            }
        }
    }
    let mut results = Vec::new();
    for (key, buckets) in groups {
        let mut data = Vec::new();
        for (b, (maccs, vaccs)) in buckets {
            let bstart = q.buckets[b];
            let bend = q.buckets.get(b + 1).copied().unwrap_or(q.end);
            let mut metrics = Vec::new();
            for (mi, acc) in maccs {
                let m = &q.metrics[mi];
                let stats = if m.starts_with("nDistinct") {
                    json!({"count": acc.distinct.len()})
                } else if m.starts_with('o') {
                    json!({"count": acc.count, "sum": acc.sum, "min": acc.min, "max": acc.max})
                } else {
                    json!({"count": acc.count})
                };
                metrics.push(json!({"metric": m, "stats": stats}));
            }
            let mut entry = json!({"interval": format!("{}/{}", iso_ms(bstart), iso_ms(bend)), "metrics": metrics});
            if !vaccs.is_empty() {
                let views: Vec<Value> = vaccs.into_iter().map(|(vi, acc)| json!({"name": q.views[vi].name, "stats": {"count": acc.count, "sum": acc.sum}})).collect();
                entry["views"] = json!(views);
            }
            data.push(entry);
        }
        let group: Map<String, Value> = key.into_iter().map(|(k, v)| (k, Value::String(v))).collect();
        let mut r = json!({"data": data});
        if !group.is_empty() { r["group"] = Value::Object(group); }
        results.push(r);
    }
    if results.is_empty() { json!({}) } else { json!({"results": results}) }
}

pub fn interval_bounds(q: &Query) -> (i64, i64) { (q.start, q.end) }
