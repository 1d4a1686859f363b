//! Which `Host` and `Origin` values are served. A page on another site must not reach
//! the API or the control endpoints: DNS rebinding arrives with the attacker's name in
//! `Host`, a cross-site request with the attacker's site in `Origin`.

use crate::protocol::WireError;
use hyper::header::{HeaderMap, HOST, ORIGIN};
use hyper::{StatusCode, Uri};
use std::net::{IpAddr, Ipv6Addr};

/// Loopback names and addresses, the address the server is bound to (unless it is
/// a wildcard address) and the names given with `--allowed-hosts`.
pub struct AllowedHosts {
    /// `--allowed-hosts *`: any `Host` (an `Origin` must still be allowed or same-origin).
    any: bool,
    names: Vec<String>,
    addresses: Vec<IpAddr>,
}

impl AllowedHosts {
    pub fn new(configured: &[String], bound: IpAddr) -> AllowedHosts {
        let mut hosts = AllowedHosts {
            any: false,
            names: Vec::new(),
            addresses: Vec::new(),
        };
        if !bound.is_unspecified() {
            hosts.addresses.push(bound);
        }
        for entry in configured.iter().map(|e| e.trim()).filter(|e| !e.is_empty()) {
            if entry == "*" {
                hosts.any = true;
                continue;
            }
            let host = parse_authority(entry).map_or(entry, |(host, _)| host);
            match host.parse::<IpAddr>() {
                Ok(ip) => hosts.addresses.push(ip),
                Err(_) => hosts.names.push(normalize(host)),
            }
        }
        hosts
    }

    /// Refuses a request whose `Host` (or absolute request URI) is not served, or whose
    /// `Origin` is a site that is neither allowed nor this one.
    pub fn check(&self, uri: &Uri, headers: &HeaderMap) -> Result<(), WireError> {
        let host = headers.get(HOST).and_then(|v| v.to_str().ok());
        let authorities = host.into_iter().chain(uri.authority().map(|a| a.as_str()));
        let mut seen = false;
        for authority in authorities {
            seen = true;
            if !self.any && !self.allows(authority) {
                return Err(refused("Host", authority));
            }
        }
        if !seen {
            return Err(refused("Host", ""));
        }
        let Some(origin) = headers.get(ORIGIN) else {
            return Ok(());
        };
        let origin = origin.to_str().unwrap_or("null");
        let allowed = match origin_authority(origin) {
            Some((authority, default_port)) => {
                self.allows(authority) || host.is_some_and(|h| same_authority(authority, default_port, h))
            }
            None => false,
        };
        if allowed {
            Ok(())
        } else {
            Err(refused("Origin", origin))
        }
    }

    /// `host[:port]`: a loopback name or address, the bound address, or a configured name.
    fn allows(&self, authority: &str) -> bool {
        let Some((host, _)) = parse_authority(authority) else {
            return false;
        };
        match host.parse::<IpAddr>() {
            Ok(ip) => is_loopback(ip) || self.addresses.contains(&ip),
            Err(_) => {
                let name = host.strip_suffix('.').unwrap_or(host);
                // *.localhost resolves to loopback in browsers (RFC 6761), so it cannot be rebound.
                let localhost = name.len() >= 9 && {
                    let (head, tail) = name.split_at(name.len() - 9);
                    tail.eq_ignore_ascii_case("localhost") && (head.is_empty() || head.ends_with('.'))
                };
                localhost || self.names.iter().any(|n| n.eq_ignore_ascii_case(name))
            }
        }
    }
}

fn refused(header: &str, value: &str) -> WireError {
    let message = if header == "Host" {
        format!(
            "glue-local does not answer requests for Host {value:?}: it answers loopback names and addresses \
             and the names given with --allowed-hosts (or GLUE_LOCAL_ALLOWED_HOSTS), e.g. --allowed-hosts glue-local"
        )
    } else {
        format!(
            "glue-local does not answer requests from Origin {value:?} (a web page on another site): allow its \
             host with --allowed-hosts (or GLUE_LOCAL_ALLOWED_HOSTS)"
        )
    };
    WireError::new("AccessDeniedException", message).with_status(StatusCode::FORBIDDEN)
}

/// `host[:port]`, `[v6][:port]` or a bare IPv6 address → (host, port); `None` if malformed.
fn parse_authority(authority: &str) -> Option<(&str, Option<u16>)> {
    let (host, port) = if let Some(rest) = authority.strip_prefix('[') {
        let (host, after) = rest.split_once(']')?;
        match after {
            "" => (host, None),
            _ => (host, Some(after.strip_prefix(':')?)),
        }
    } else if authority.parse::<Ipv6Addr>().is_ok() {
        (authority, None)
    } else {
        match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };
    let port = match port {
        Some(p) if p.bytes().all(|b| b.is_ascii_digit()) => Some(p.parse().ok()?),
        Some(_) => return None,
        None => None,
    };
    (!host.is_empty()).then_some((host, port))
}

fn normalize(name: &str) -> String {
    name.trim_end_matches('.').to_ascii_lowercase()
}

fn is_loopback(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_loopback(),
        IpAddr::V6(v6) => v6.is_loopback() || v6.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback()),
    }
}

/// `http://host[:port]` → (`host[:port]`, the scheme's default port); `None` for `null`
/// (sandboxed pages, `file:`) and anything that is not an http(s) origin.
fn origin_authority(origin: &str) -> Option<(&str, u16)> {
    let (scheme, authority) = origin.split_once("://")?;
    let default_port = match scheme.to_ascii_lowercase().as_str() {
        "http" => 80,
        "https" => 443,
        _ => return None,
    };
    (!authority.is_empty() && !authority.contains(['/', '@'])).then_some((authority, default_port))
}

/// Whether the page's origin is this server as the request names it (`Host`).
fn same_authority(origin: &str, origin_default_port: u16, host: &str) -> bool {
    let key = |authority: &str, default_port: u16| {
        parse_authority(authority).map(|(name, port)| (normalize(name), port.unwrap_or(default_port)))
    };
    matches!((key(origin, origin_default_port), key(host, 80)), (Some(a), Some(b)) if a == b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use hyper::header::HeaderValue;

    fn hosts(configured: &[&str], bound: &str) -> AllowedHosts {
        let configured: Vec<String> = configured.iter().map(|s| s.to_string()).collect();
        AllowedHosts::new(&configured, bound.parse().unwrap())
    }

    fn request(host: Option<&str>, origin: Option<&str>) -> HeaderMap {
        let mut h = HeaderMap::new();
        if let Some(host) = host {
            h.insert(HOST, HeaderValue::from_str(host).unwrap());
        }
        if let Some(origin) = origin {
            h.insert(ORIGIN, HeaderValue::from_str(origin).unwrap());
        }
        h
    }

    fn ok(h: &AllowedHosts, host: Option<&str>, origin: Option<&str>) -> bool {
        h.check(&Uri::from_static("/"), &request(host, origin)).is_ok()
    }

    #[test]
    fn loopback_hosts_with_any_port() {
        let h = hosts(&[], "127.0.0.1");
        for host in [
            "localhost",
            "LOCALHOST:9100",
            "localhost.:9100",
            "app.localhost:80",
            "127.0.0.1:9100",
            "127.1.2.3",
            "[::1]:9100",
            "[::1]",
            "::1",
            "[::ffff:127.0.0.1]:9100",
        ] {
            assert!(h.allows(host), "{host}");
        }
        for host in [
            "evil.example",
            "evil.example:9100",
            "localhost.evil.example",
            "127.0.0.1.evil.example",
            "10.0.0.5:9100",
            "[::2]:9100",
            "localhost:x",
            "[::1]x",
            ":9100",
            "",
        ] {
            assert!(!h.allows(host), "{host}");
        }
    }

    #[test]
    fn configured_names_and_the_bound_address() {
        let h = hosts(&["glue-local", " Other.Example:8080 ", "10.1.1.1"], "192.168.1.5");
        assert!(h.allows("glue-local:9100"));
        assert!(h.allows("GLUE-LOCAL"));
        assert!(h.allows("other.example:1"));
        assert!(h.allows("10.1.1.1:9100"));
        assert!(h.allows("192.168.1.5:9100"));
        assert!(!h.allows("glue-local.evil.example"));
        assert!(!h.allows("192.168.1.6:9100"));
        // bound to every interface: no address is allowed because of it
        let h = hosts(&[], "0.0.0.0");
        assert!(!h.allows("0.0.0.0:9100"));
        assert!(!h.allows("192.168.1.5:9100"));
        assert!(!hosts(&[], "::").allows("[::]:9100"));
    }

    #[test]
    fn host_header_is_required_and_checked() {
        let h = hosts(&[], "127.0.0.1");
        assert!(ok(&h, Some("127.0.0.1:9100"), None));
        assert!(!ok(&h, None, None));
        let err = h
            .check(&Uri::from_static("/"), &request(Some("evil.example:9100"), None))
            .unwrap_err();
        assert_eq!((err.code, err.status), ("AccessDeniedException", StatusCode::FORBIDDEN));
        assert!(err.message.contains("--allowed-hosts"), "{}", err.message);
        // an absolute request URI names the host too
        let absolute = Uri::from_static("http://evil.example/");
        assert!(h.check(&absolute, &request(Some("localhost"), None)).is_err());
    }

    #[test]
    fn star_allows_any_host_but_not_foreign_origins() {
        let h = hosts(&["*"], "0.0.0.0");
        assert!(ok(&h, Some("anything.example:9100"), None));
        assert!(ok(
            &h,
            Some("anything.example:9100"),
            Some("http://anything.example:9100")
        ));
        assert!(!ok(&h, Some("anything.example:9100"), Some("http://evil.example")));
    }

    #[test]
    fn origins() {
        let h = hosts(&["console.example"], "127.0.0.1");
        let host = Some("127.0.0.1:9100");
        assert!(ok(&h, host, Some("http://127.0.0.1:9100")));
        assert!(ok(&h, host, Some("http://localhost:5173")));
        assert!(ok(&h, host, Some("https://console.example")));
        for origin in [
            "http://evil.example",
            "http://evil.example:9100",
            "null",
            "file://",
            "chrome-extension://abc",
            "http://user@localhost",
            "http://localhost/path",
            "garbage",
        ] {
            assert!(!ok(&h, host, Some(origin)), "{origin}");
        }
        let err = h
            .check(&Uri::from_static("/"), &request(host, Some("http://evil.example")))
            .unwrap_err();
        assert!(err.message.contains("Origin") && err.message.contains("--allowed-hosts"));
    }

    #[test]
    fn same_origin_compares_host_and_port() {
        assert!(same_authority("example:9100", 80, "EXAMPLE:9100"));
        assert!(same_authority("example", 80, "example:80"));
        assert!(same_authority("example", 80, "example"));
        assert!(!same_authority("example", 443, "example"));
        assert!(!same_authority("example:9101", 80, "example:9100"));
        assert!(same_authority("[::2]:9100", 80, "[::2]:9100"));
        assert!(!same_authority("[::2]", 80, "[::2]:9100"));
    }
}
