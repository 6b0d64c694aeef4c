//! Rules the spec states only in prose (descriptions, NOTES section (c)), per operation.
//! Schema-level checks (types, required fields, enums) are in `schema`.

use crate::error::Error;
use crate::retry::days_from_civil;
use crate::schema::{clip, describe, is_date_time, number, METRIC_VALUES};
use crate::value::Value;

/// Most `segmentIds` one listing may ask for.
pub const MAX_SEGMENT_IDS: usize = 100;

/// No extra rules.
pub fn none(_opts: &Value, _body: Option<&Value>) -> Result<(), Error> {
    Ok(())
}

/// `getJourneySegments`: `segmentIds` stands alone; `queryFields` and `queryValue` go together.
pub fn segment_listing(opts: &Value, _body: Option<&Value>) -> Result<(), Error> {
    let has = |k: &str| opts.get_present(k).is_some();
    if let Some(Value::Array(ids)) = opts.get_present("segmentIds") {
        if ids.len() > MAX_SEGMENT_IDS {
            return Err(Error::validation(
                "opts.segmentIds",
                format!("at most {MAX_SEGMENT_IDS} ids per request, got {}", ids.len()),
            ));
        }
        for other in ["pageSize", "pageNumber", "sortBy", "queryFields", "queryValue"] {
            if has(other) {
                return Err(Error::validation(
                    "opts.segmentIds",
                    format!("cannot be combined with {other}: the API does not page, sort or query a list of ids"),
                ));
            }
        }
    }
    match (has("queryFields"), has("queryValue")) {
        (true, false) => return Err(Error::validation("opts.queryValue", "is required when queryFields is set")),
        (false, true) => return Err(Error::validation("opts.queryFields", "is required when queryValue is set")),
        _ => {}
    }
    if let Some(Value::String(sort)) = opts.get_present("sortBy") {
        sort_by(sort)?;
    }
    Ok(())
}

/// `sortBy`: comma-separated property names, each optionally prefixed with `-`.
fn sort_by(s: &str) -> Result<(), Error> {
    for part in s.split(',') {
        let name = part.strip_prefix('-').unwrap_or(part);
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.') {
            return Err(Error::validation(
                "opts.sortBy",
                format!("\"{}\" is not a list of field names such as displayName,-createdDate", clip(s)),
            ));
        }
    }
    Ok(())
}

/// Segment create and patch: `color` is `#rrggbb`; expiration days are not negative.
pub fn segment_body(_opts: &Value, body: Option<&Value>) -> Result<(), Error> {
    let Some(body) = body else { return Ok(()) };
    if let Some(Value::String(c)) = body.get_present("color") {
        let b = c.as_bytes();
        if b.len() != 7 || b[0] != b'#' || !b[1..].iter().all(u8::is_ascii_hexdigit) {
            return Err(Error::validation(
                "body.color",
                format!("\"{}\" is not a hexadecimal color such as #1a2b3c", clip(c)),
            ));
        }
    }
    if let Some(Value::Number(d)) = body.get_present("assignmentExpirationDays") {
        if *d < 0.0 {
            return Err(Error::validation("body.assignmentExpirationDays", format!("must be 0 or more, got {}", number(*d))));
        }
    }
    Ok(())
}

/// Action target patch: the service level percentage is a fraction, durations are not negative.
pub fn action_target_body(_opts: &Value, body: Option<&Value>) -> Result<(), Error> {
    let Some(sl) = body.and_then(|b| b.get_present("serviceLevel")) else { return Ok(()) };
    if let Some(Value::Number(p)) = sl.get_present("percentage") {
        if !(0.0..=1.0).contains(p) {
            return Err(Error::validation("body.serviceLevel.percentage", format!("must be between 0 and 1, got {}", number(*p))));
        }
    }
    if let Some(Value::Number(d)) = sl.get_present("durationMs") {
        if *d < 0.0 {
            return Err(Error::validation("body.serviceLevel.durationMs", format!("must be 0 or more, got {}", number(*d))));
        }
    }
    Ok(())
}

/// Aggregates query: interval, granularity, time zone, metrics, predicates and views.
pub fn aggregation_query(_opts: &Value, body: Option<&Value>) -> Result<(), Error> {
    let Some(q) = body else { return Ok(()) };
    if let Some(Value::String(interval)) = q.get_present("interval") {
        check_interval(interval)?;
    }
    if let Some(Value::String(g)) = q.get_present("granularity") {
        if !is_duration(g) {
            return Err(Error::validation(
                "body.granularity",
                format!("\"{}\" is not an ISO-8601 duration such as PT1H, P1D or P1DT12H", clip(g)),
            ));
        }
    }
    if let Some(Value::String(tz)) = q.get_present("timeZone") {
        let ok = !tz.is_empty()
            && tz.split('/').all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || "_+-".contains(c)));
        if !ok {
            return Err(Error::validation(
                "body.timeZone",
                format!("\"{}\" is not an IANA time zone name such as UTC or Europe/London", clip(tz)),
            ));
        }
    }
    if let Some(Value::Array(metrics)) = q.get_present("metrics") {
        if metrics.is_empty() {
            return Err(Error::validation("body.metrics", "must name at least one metric"));
        }
    }
    if let Some(filter) = q.get_present("filter") {
        check_predicates(filter, "body.filter")?;
        if let Some(Value::Array(clauses)) = filter.get_present("clauses") {
            for (i, clause) in clauses.iter().enumerate() {
                check_predicates(clause, &format!("body.filter.clauses[{i}]"))?;
            }
        }
    }
    if let Some(Value::Array(views)) = q.get_present("views") {
        let mut seen: Vec<&str> = Vec::new();
        for (i, view) in views.iter().enumerate() {
            let path = format!("body.views[{i}]");
            if let Some(Value::String(name)) = view.get_present("name") {
                if seen.contains(&name.as_str()) {
                    return Err(Error::validation(format!("{path}.name"), format!("\"{}\" is used by another view; names must be unique", clip(name))));
                }
                if METRIC_VALUES.contains(&name.as_str()) {
                    return Err(Error::validation(format!("{path}.name"), format!("\"{name}\" is a metric name; a view needs a name of its own")));
                }
                seen.push(name);
            }
            let range = view.get_present("range");
            if range.and_then(|r| r.get_present("gte").or_else(|| r.get_present("lt"))).is_none() {
                return Err(Error::validation(format!("{path}.range"), "a rangeBound view needs a range with gte and/or lt"));
            }
        }
    }
    Ok(())
}

fn check_predicates(container: &Value, path: &str) -> Result<(), Error> {
    let predicates = match container.get_present("predicates") {
        Some(Value::Array(p)) => p.as_slice(),
        _ => &[],
    };
    let has_clauses = matches!(container.get_present("clauses"), Some(Value::Array(c)) if !c.is_empty());
    if predicates.is_empty() && !has_clauses {
        return Err(Error::validation(format!("{path}.predicates"), "must hold at least one predicate"));
    }
    for (i, p) in predicates.iter().enumerate() {
        let at = format!("{path}.predicates[{i}]");
        let kind = p.get_present("type").and_then(Value::as_str).unwrap_or("dimension");
        if kind == "dimension" && p.get_present("dimension").is_none() {
            return Err(Error::validation(format!("{at}.dimension"), "is required for a dimension predicate"));
        }
        let operator = p.get_present("operator").and_then(Value::as_str).unwrap_or("matches");
        if operator == "matches" && p.get_present("value").is_none() && p.get_present("range").is_none() {
            return Err(Error::validation(format!("{at}.value"), "a matches predicate needs a value or a range"));
        }
    }
    Ok(())
}

fn check_interval(interval: &str) -> Result<(), Error> {
    let bad = |why: String| Err(Error::validation("body.interval", why));
    let Some((start, end)) = interval.split_once('/') else {
        return bad(format!(
            "\"{}\" is not an ISO-8601 interval such as 2026-01-01T00:00:00Z/2026-01-08T00:00:00Z",
            clip(interval)
        ));
    };
    for (name, t) in [("start", start), ("end", end)] {
        if !is_date_time(t) {
            return bad(format!("the {name} \"{}\" is not an ISO-8601 date-time", clip(t)));
        }
    }
    if let (Some(a), Some(b)) = (epoch_minutes(start), epoch_minutes(end)) {
        if b <= a {
            return bad(format!("the end {end} is not after the start {start}"));
        }
    }
    Ok(())
}

/// Minutes since the epoch of a checked date-time, offsets applied; seconds are ignored, which is
/// enough to order two ends of an interval that are at least a minute apart.
fn epoch_minutes(t: &str) -> Option<i64> {
    let num = |r: std::ops::Range<usize>| t.get(r)?.parse::<i64>().ok();
    let local = days_from_civil(num(0..4)?, num(5..7)?, num(8..10)?) * 1440 + num(11..13)? * 60 + num(14..16)?;
    let tail = t.trim_end_matches(|c: char| c.is_ascii_digit() || c == ':');
    let offset = match t.rfind(['+', '-']).filter(|&i| i > 18) {
        Some(i) if !tail.ends_with(['Z', 'z']) => {
            let sign = if t.as_bytes().get(i) == Some(&b'-') { -1 } else { 1 };
            let digits: String = t.get(i + 1..)?.chars().filter(char::is_ascii_digit).collect();
            let h: i64 = digits.get(0..2)?.parse().ok()?;
            let m: i64 = digits.get(2..4)?.parse().ok()?;
            sign * (h * 60 + m)
        }
        _ => 0,
    };
    Some(local - offset)
}

/// ISO-8601 duration: `PnW`, or `PnYnMnD` with an optional `TnHnMnS` part.
pub fn is_duration(s: &str) -> bool {
    let Some(rest) = s.strip_prefix('P') else { return false };
    if rest.is_empty() {
        return false;
    }
    let (date, time) = match rest.split_once('T') {
        Some((d, t)) if !t.is_empty() => (d, Some(t)),
        Some(_) => return false,
        None => (rest, None),
    };
    fn units(part: &str, allowed: &str) -> bool {
        let mut order = 0;
        let mut digits = 0;
        for c in part.chars() {
            if c.is_ascii_digit() || (c == '.' && digits > 0) {
                digits += 1;
                continue;
            }
            match allowed.get(order..).and_then(|rest| rest.find(c)) {
                Some(i) if digits > 0 => {
                    order += i + 1;
                    digits = 0;
                }
                _ => return false,
            }
        }
        digits == 0
    }
    units(date, "YMWD") && time.map_or(true, |t| units(t, "HMS"))
}

/// Describes a value for a message (re-exported for the request builder).
pub fn shown(v: &Value) -> String {
    describe(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(json: &str) -> Value {
        serde_json::from_str(json).unwrap()
    }

    fn field_of(r: Result<(), Error>) -> String {
        match r {
            Err(Error::Validation { field, .. }) => field,
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn segment_ids_stand_alone_and_are_capped() {
        let ids: Vec<String> = (0..101).map(|i| format!("\"id{i}\"")).collect();
        let many = v(&format!("{{\"segmentIds\":[{}]}}", ids.join(",")));
        assert_eq!(field_of(segment_listing(&many, None)), "opts.segmentIds");
        let hundred = v(&format!("{{\"segmentIds\":[{}]}}", ids[..100].join(",")));
        segment_listing(&hundred, None).unwrap();
        for other in ["\"pageSize\":5", "\"pageNumber\":2", "\"sortBy\":\"displayName\"", "\"queryFields\":[\"displayName\"],\"queryValue\":\"x\""] {
            let opts = v(&format!("{{\"segmentIds\":[\"a\"],{other}}}"));
            assert_eq!(field_of(segment_listing(&opts, None)), "opts.segmentIds", "{other}");
        }
    }

    #[test]
    fn query_fields_and_value_go_together() {
        assert_eq!(field_of(segment_listing(&v(r#"{"queryFields":["displayName"]}"#), None)), "opts.queryValue");
        assert_eq!(field_of(segment_listing(&v(r#"{"queryValue":"vip"}"#), None)), "opts.queryFields");
        segment_listing(&v(r#"{"queryFields":["displayName"],"queryValue":"vip"}"#), None).unwrap();
    }

    #[test]
    fn sort_by_is_a_field_list() {
        segment_listing(&v(r#"{"sortBy":"displayName,-createdDate"}"#), None).unwrap();
        for bad in ["", "-", "a,,b", "name desc", "a;drop"] {
            let opts = Value::Object(vec![("sortBy".into(), Value::String(bad.into()))]);
            assert_eq!(field_of(segment_listing(&opts, None)), "opts.sortBy", "{bad}");
        }
    }

    #[test]
    fn colors_are_hex() {
        let o = Value::Null;
        segment_body(&o, Some(&v(r##"{"color":"#1A2b3C"}"##))).unwrap();
        for bad in ["red", "#12345", "#1234567", "#12345g", "123456"] {
            let body = Value::Object(vec![("color".into(), Value::String(bad.into()))]);
            assert_eq!(field_of(segment_body(&o, Some(&body))), "body.color", "{bad}");
        }
        assert_eq!(field_of(segment_body(&o, Some(&v(r#"{"assignmentExpirationDays":-1}"#)))), "body.assignmentExpirationDays");
    }

    #[test]
    fn service_level_is_a_fraction() {
        let o = Value::Null;
        action_target_body(&o, Some(&v(r#"{"serviceLevel":{"percentage":0.8,"durationMs":20000}}"#))).unwrap();
        assert_eq!(field_of(action_target_body(&o, Some(&v(r#"{"serviceLevel":{"percentage":80}}"#)))), "body.serviceLevel.percentage");
        assert_eq!(field_of(action_target_body(&o, Some(&v(r#"{"serviceLevel":{"durationMs":-5}}"#)))), "body.serviceLevel.durationMs");
    }

    const GOOD: &str = r#"{"interval":"2026-01-01T00:00:00Z/2026-01-08T00:00:00Z","granularity":"P1D","timeZone":"Europe/London",
        "metrics":["nJourneySessions"],"groupBy":["journeySegmentId"],
        "filter":{"type":"and","clauses":[{"type":"or","predicates":[{"dimension":"journeyDeviceCategory","value":"desktop"}]}],
                  "predicates":[{"dimension":"journeySegmentId","operator":"exists"}]},
        "views":[{"target":"nJourneySessions","name":"busy","function":"rangeBound","range":{"gte":10}}]}"#;

    fn with(change: &str) -> Value {
        let mut q: serde_json::Value = serde_json::from_str(GOOD).unwrap();
        let patch: serde_json::Value = serde_json::from_str(change).unwrap();
        for (k, val) in patch.as_object().unwrap() {
            q[k] = val.clone();
        }
        serde_json::from_value(q).unwrap()
    }

    #[test]
    fn a_full_aggregation_query_passes() {
        aggregation_query(&Value::Null, Some(&v(GOOD))).unwrap();
    }

    #[test]
    fn aggregation_query_rules() {
        let cases = [
            (r#"{"interval":"last week"}"#, "body.interval"),
            (r#"{"interval":"2026-01-01T00:00:00Z/yesterday"}"#, "body.interval"),
            (r#"{"interval":"2026-01-08T00:00:00Z/2026-01-01T00:00:00Z"}"#, "body.interval"),
            (r#"{"interval":"2026-01-01T03:00:00+02:00/2026-01-01T00:30:00Z"}"#, "body.interval"),
            (r#"{"granularity":"1 day"}"#, "body.granularity"),
            (r#"{"timeZone":"Mars Time"}"#, "body.timeZone"),
            (r#"{"metrics":[]}"#, "body.metrics"),
            (r#"{"filter":{"type":"and"}}"#, "body.filter.predicates"),
            (r#"{"filter":{"type":"and","predicates":[{"value":"x"}]}}"#, "body.filter.predicates[0].dimension"),
            (r#"{"filter":{"type":"and","predicates":[{"dimension":"journeySegmentId"}]}}"#, "body.filter.predicates[0].value"),
            (r#"{"filter":{"type":"and","clauses":[{"type":"or","predicates":[]}]}}"#, "body.filter.clauses[0].predicates"),
            (r#"{"views":[{"target":"nJourneySessions","name":"a","function":"rangeBound","range":{"gte":1}},{"target":"nJourneySessions","name":"a","function":"rangeBound","range":{"lt":1}}]}"#, "body.views[1].name"),
            (r#"{"views":[{"target":"nJourneySessions","name":"nJourneySessions","function":"rangeBound","range":{"gte":1}}]}"#, "body.views[0].name"),
            (r#"{"views":[{"target":"nJourneySessions","name":"v","function":"rangeBound"}]}"#, "body.views[0].range"),
        ];
        for (change, field) in cases {
            assert_eq!(field_of(aggregation_query(&Value::Null, Some(&with(change)))), field, "{change}");
        }
        aggregation_query(&Value::Null, Some(&with(r#"{"interval":"2026-01-01T01:00:00+02:00/2026-01-01T00:30:00Z"}"#))).unwrap();
    }

    #[test]
    fn durations() {
        for ok in ["P1D", "PT1H", "P1DT12H", "P7D", "P2W", "PT30M", "PT0.5S", "P1Y2M3D"] {
            assert!(is_duration(ok), "{ok}");
        }
        for bad in ["", "P", "PT", "1D", "P1H", "PT1D", "P1D2Y", "PD", "P1DT", "p1d"] {
            assert!(!is_duration(bad), "{bad}");
        }
    }
}
