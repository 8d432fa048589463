//! Talking HTTP to the remote store: one pool of kept-alive connections, the login (HTTP basic
//! or digest, whichever the store asks for), and patience with a store that restarts.
//!
//! Every request vitrine sends to the store can be sent twice without harm: queries read,
//! Graph Store `PUT`s replace, `POST`s add triples to a set, and the updates replace what they
//! name. So a request that failed in transit (the store restarting, a connection reset) is sent
//! again, for as long as [`Settings::retry_for`] allows when vitrine is writing.

use super::Settings;
use crate::store::Error;
use std::io::Read;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use ureq::Body;
use ureq::http::{Method, Request, Response, StatusCode, header};

/// Waits between two tries of a request the store failed, doubling up to [`MAX_DELAY`].
const FIRST_DELAY: Duration = Duration::from_millis(200);
const MAX_DELAY: Duration = Duration::from_secs(5);

/// How much of an error answer is quoted in the message.
const ERROR_EXCERPT: u64 = 600;

/// One request, as many times as it takes.
pub(super) struct Call<'a> {
    pub method: Method,
    /// The endpoint, without the query string: what error messages name.
    pub endpoint: &'a str,
    /// The query string, already encoded (`graph=…`), if any.
    pub query: Option<String>,
    pub content_type: Option<&'a str>,
    pub accept: Option<&'a str>,
    pub body: &'a [u8],
    /// Overrides the client's timeout (a query's deadline).
    pub timeout: Option<Duration>,
    /// The body is a visitor's query: a 400 or 500 from the store is their query's fault (a
    /// syntax or evaluation error), not the store failing.
    pub visitor: bool,
}

impl<'a> Call<'a> {
    /// A `POST` of an HTML form to `endpoint`: how the protocol sends a query or an update.
    pub(super) fn form(endpoint: &'a str, body: &'a [u8]) -> Self {
        Self {
            method: Method::POST,
            endpoint,
            query: None,
            content_type: Some("application/x-www-form-urlencoded"),
            accept: None,
            body,
            timeout: None,
            visitor: false,
        }
    }
}

/// How hard to try.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Patience {
    /// Reading for a visitor: one more try on a connection the store closed while it was idle
    /// in the pool, then the error (the visitor should not wait for a store that is down).
    Reader,
    /// Writing a publication: transient failures are tried again until `retry_for` has passed.
    Writer,
}

#[derive(Clone)]
pub(super) struct Client {
    agent: ureq::Agent,
    login: Option<std::sync::Arc<Login>>,
    retry_for: Duration,
    timeout: Duration,
}

struct Login {
    user: String,
    password: String,
    /// What the store last asked for; reused so that a large body is not sent once just to
    /// learn the challenge.
    scheme: Mutex<Scheme>,
}

enum Scheme {
    /// Not asked yet.
    Unknown,
    Basic,
    Digest(Box<digest_auth::WwwAuthenticateHeader>),
}

/// Why one try failed.
enum Failure {
    /// Worth trying again (connection refused or reset, a gateway or overload status).
    Transient(String),
    /// Will fail the same way again.
    Final(Error),
}

impl Client {
    pub(super) fn new(settings: &Settings, password: Option<String>) -> Self {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_connect(Some(Duration::from_secs(10)))
            .timeout_global(Some(settings.timeout))
            // Item pages make a few store requests each, from as many blocking threads as
            // visitors: keep that many connections open instead of three.
            .max_idle_connections(256)
            .max_idle_connections_per_host(256)
            .user_agent(concat!("vitrine/", env!("CARGO_PKG_VERSION")))
            .build()
            .new_agent();
        Self {
            agent,
            login: settings.user.clone().map(|user| {
                std::sync::Arc::new(Login {
                    user,
                    password: password.unwrap_or_default(),
                    scheme: Mutex::new(Scheme::Unknown),
                })
            }),
            retry_for: settings.retry_for,
            timeout: settings.timeout,
        }
    }

    /// Sends `call` and returns a successful (2xx) response; any other status becomes an error
    /// quoting the store's message.
    pub(super) fn send(
        &self,
        call: &Call<'_>,
        patience: Patience,
    ) -> Result<Response<Body>, Error> {
        let started = Instant::now();
        let mut delay = FIRST_DELAY;
        let mut tries = 0;
        loop {
            tries += 1;
            let message = match self.try_once(call) {
                Ok(response) => return Ok(response),
                Err(Failure::Final(e)) => return Err(e),
                Err(Failure::Transient(message)) => message,
            };
            let waited = started.elapsed();
            let again = match patience {
                Patience::Reader => tries < 2,
                Patience::Writer => waited + delay < self.retry_for,
            };
            if !again {
                let message = if tries > 1 {
                    format!(
                        "{message} (tried {tries} times over {} s)",
                        waited.as_secs()
                    )
                } else {
                    message
                };
                return Err(remote(call.endpoint, message));
            }
            tracing::warn!(
                "the store at {} failed ({message}); trying again in {} ms",
                call.endpoint,
                delay.as_millis()
            );
            std::thread::sleep(delay);
            delay = (delay * 2).min(MAX_DELAY);
        }
    }

    fn try_once(&self, call: &Call<'_>) -> Result<Response<Body>, Failure> {
        let header = self.authorization(call);
        let response = self.request(call, header.as_deref())?;
        if response.status() != StatusCode::UNAUTHORIZED {
            return checked(call, response);
        }
        let Some(login) = &self.login else {
            return Err(Failure::Final(remote(
                call.endpoint,
                "asks for a login: set `user` and `password_env` in `[store]`".into(),
            )));
        };
        // First contact, or the store changed its challenge (a digest nonce went stale).
        let challenges: Vec<String> = response
            .headers()
            .get_all(header::WWW_AUTHENTICATE)
            .iter()
            .filter_map(|v| v.to_str().ok().map(str::to_owned))
            .collect();
        let digest = challenges
            .iter()
            .find(|c| c.trim_start().to_ascii_lowercase().starts_with("digest"));
        let scheme = match digest {
            Some(challenge) => match digest_auth::parse(challenge) {
                Ok(parsed) => Scheme::Digest(Box::new(parsed)),
                Err(e) => {
                    return Err(Failure::Final(remote(
                        call.endpoint,
                        format!("sent a digest challenge vitrine cannot read: {e}"),
                    )));
                }
            },
            None => Scheme::Basic,
        };
        *login.scheme.lock().unwrap_or_else(|e| e.into_inner()) = scheme;
        let header = self.authorization(call);
        let response = self.request(call, header.as_deref())?;
        if response.status() == StatusCode::UNAUTHORIZED {
            return Err(Failure::Final(remote(
                call.endpoint,
                format!(
                    "refused the login of user `{}` (check the password in the environment variable named by `password_env`)",
                    login.user
                ),
            )));
        }
        checked(call, response)
    }

    /// The `Authorization` header for `call`, as the store last asked for it.
    fn authorization(&self, call: &Call<'_>) -> Option<String> {
        let login = self.login.as_ref()?;
        let mut scheme = login.scheme.lock().unwrap_or_else(|e| e.into_inner());
        match &mut *scheme {
            Scheme::Unknown => None,
            Scheme::Basic => {
                use base64::Engine;
                let pair = format!("{}:{}", login.user, login.password);
                Some(format!(
                    "Basic {}",
                    base64::engine::general_purpose::STANDARD.encode(pair)
                ))
            }
            Scheme::Digest(challenge) => {
                let uri = request_uri(call);
                let context = digest_auth::AuthContext::new_with_method(
                    &login.user,
                    &login.password,
                    &uri,
                    Some(call.body),
                    digest_auth::HttpMethod::from(call.method.as_str().to_owned()),
                );
                challenge
                    .respond(&context)
                    .ok()
                    .map(|h| h.to_header_string())
            }
        }
    }

    fn request(
        &self,
        call: &Call<'_>,
        authorization: Option<&str>,
    ) -> Result<Response<Body>, Failure> {
        let url = match &call.query {
            Some(q) => format!("{}?{q}", call.endpoint),
            None => call.endpoint.to_owned(),
        };
        let mut builder = Request::builder().method(call.method.clone()).uri(&url);
        if let Some(t) = call.content_type {
            builder = builder.header(header::CONTENT_TYPE, t);
        }
        if let Some(a) = call.accept {
            builder = builder.header(header::ACCEPT, a);
        }
        if let Some(a) = authorization {
            builder = builder.header(header::AUTHORIZATION, a);
        }
        let request = builder
            .body(call.body)
            .map_err(|e| Failure::Final(remote(call.endpoint, format!("bad request: {e}"))))?;
        let request = self
            .agent
            .configure_request(request)
            .timeout_global(Some(call.timeout.unwrap_or(self.timeout)))
            .build();
        self.agent.run(request).map_err(|e| transport(call, e))
    }
}

/// The path and query of `call`'s URL, which a digest response signs.
fn request_uri(call: &Call<'_>) -> String {
    let path = call
        .endpoint
        .parse::<ureq::http::Uri>()
        .map_or_else(|_| "/".to_owned(), |uri| uri.path().to_owned());
    match &call.query {
        Some(q) => format!("{path}?{q}"),
        None => path,
    }
}

fn transport(call: &Call<'_>, e: ureq::Error) -> Failure {
    match e {
        ureq::Error::Timeout(_) if call.timeout.is_some() => Failure::Final(Error::Cancelled),
        ureq::Error::Io(_)
        | ureq::Error::ConnectionFailed
        | ureq::Error::Timeout(_)
        | ureq::Error::Protocol(_) => Failure::Transient(e.to_string()),
        other => Failure::Final(remote(call.endpoint, other.to_string())),
    }
}

/// A 2xx response as is; a gateway or overload status as transient; any other as the store's
/// own message.
fn checked(call: &Call<'_>, response: Response<Body>) -> Result<Response<Body>, Failure> {
    let status = response.status();
    if status.is_success() {
        return Ok(response);
    }
    let html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let mut text = String::new();
    let _ = response
        .into_body()
        .into_reader()
        .take(ERROR_EXCERPT)
        .read_to_string(&mut text);
    // Virtuoso repeats the query after its message: for a visitor's query, that would show
    // the internal graph names the query was planned on.
    let text = text.split("SPARQL query:").next().unwrap_or("");
    let text = if html {
        page_text(text)
    } else {
        text.to_owned()
    };
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let message = format!("answered {status}: {text}");
    if matches!(
        status,
        StatusCode::BAD_GATEWAY
            | StatusCode::SERVICE_UNAVAILABLE
            | StatusCode::GATEWAY_TIMEOUT
            | StatusCode::TOO_MANY_REQUESTS
    ) {
        return Err(Failure::Transient(message));
    }
    // Stores answer a query they cannot evaluate with 400 or, like Virtuoso, 500.
    if call.visitor
        && (status == StatusCode::BAD_REQUEST || status == StatusCode::INTERNAL_SERVER_ERROR)
    {
        return Err(Failure::Final(Error::Evaluation(format!(
            "the store rejected the query: {text}"
        ))));
    }
    Err(Failure::Final(remote(call.endpoint, message)))
}

/// The text of an error page (Virtuoso answers its errors in HTML): the message without the
/// markup. A page too broken to read is given as it came.
fn page_text(page: &str) -> String {
    let mut reader = quick_xml::Reader::from_str(page);
    reader.config_mut().check_end_names = false;
    let mut text = String::new();
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Text(t)) => match t.decode() {
                Ok(part) => {
                    text.push_str(&part);
                    text.push(' ');
                }
                Err(_) => return page.to_owned(),
            },
            Ok(quick_xml::events::Event::Eof) => return text,
            Ok(_) => {}
            Err(_) => return page.to_owned(),
        }
    }
}

pub(super) fn remote(endpoint: &str, message: String) -> Error {
    Error::Remote {
        endpoint: endpoint.to_owned(),
        message,
    }
}
