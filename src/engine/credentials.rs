//! Credentials issued to one job run's script so that it can call back into glue-local:
//! a random access key, secret and session token (like AWS's temporary credentials),
//! bound to the run's account, region and job role, valid while the run goes on and for a
//! short grace after it ends, then forgotten.

use dashmap::DashMap;
use rand::distributions::{Alphanumeric, DistString};
use rand::Rng;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

/// One job run's credential.
#[derive(Debug)]
pub struct JobCredential {
    pub access_key_id: String,
    secret_access_key: String,
    session_token: String,
    pub account: String,
    pub region: String,
    pub job_run_id: String,
    /// The job's `Role`, as an ARN.
    pub role_arn: String,
    ended: OnceLock<Instant>,
}

impl JobCredential {
    pub fn secret_access_key(&self) -> &str {
        &self.secret_access_key
    }

    pub fn session_token(&self) -> &str {
        &self.session_token
    }
}

/// The credentials of job runs, by access key id.
#[derive(Debug)]
pub struct JobCredentials {
    by_key: DashMap<String, Arc<JobCredential>>,
    /// How long a credential outlives its run.
    grace: Duration,
}

/// As AWS's temporary access key ids: ASIA, then 16 characters of A–Z and 2–7.
const KEY_PREFIX: &str = "ASIA";

/// The role ARN a job's `Role` stands for: an ARN as given, a name as a role of `account`.
pub fn role_arn(role: &str, account: &str) -> String {
    if role.starts_with("arn:") {
        role.to_string()
    } else {
        format!("arn:aws:iam::{account}:role/{role}")
    }
}

impl JobCredentials {
    pub fn new(grace: Duration) -> JobCredentials {
        JobCredentials {
            by_key: DashMap::new(),
            grace,
        }
    }

    /// The credential with this access key id while it is valid.
    pub fn valid(&self, access_key_id: &str) -> Option<Arc<JobCredential>> {
        if !access_key_id.starts_with(KEY_PREFIX) {
            return None; // every request of the default mode passes here: spare it the map
        }
        let credential = self.by_key.get(access_key_id)?.clone();
        let ended = credential.ended.get();
        ended.is_none_or(|t| t.elapsed() < self.grace).then_some(credential)
    }

    /// Whether this access key id was issued to a job run and is not forgotten yet (valid or not).
    pub fn is_issued(&self, access_key_id: &str) -> bool {
        self.by_key.contains_key(access_key_id)
    }

    /// Issues a credential for a run; it ends with the returned guard.
    pub(crate) fn issue(self: &Arc<Self>, account: &str, region: &str, job_run_id: &str, role_arn: String) -> Issued {
        let mut rng = rand::thread_rng();
        const KEY_CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        let key: String = (0..16)
            .map(|_| KEY_CHARS[rng.gen_range(0..KEY_CHARS.len())] as char)
            .collect();
        let credential = Arc::new(JobCredential {
            access_key_id: format!("{KEY_PREFIX}{key}"),
            secret_access_key: Alphanumeric.sample_string(&mut rng, 40),
            session_token: Alphanumeric.sample_string(&mut rng, 96),
            account: account.to_string(),
            region: region.to_string(),
            job_run_id: job_run_id.to_string(),
            role_arn,
            ended: OnceLock::new(),
        });
        self.by_key.insert(credential.access_key_id.clone(), credential.clone());
        Issued {
            store: self.clone(),
            credential,
        }
    }
}

/// A credential in use by a running script. Dropping it (the run ended, was stopped or
/// timed out) starts the grace; the credential is forgotten when the grace is over.
pub(crate) struct Issued {
    store: Arc<JobCredentials>,
    pub credential: Arc<JobCredential>,
}

impl Drop for Issued {
    fn drop(&mut self) {
        let _ = self.credential.ended.set(Instant::now());
        let (store, key) = (self.store.clone(), self.credential.access_key_id.clone());
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => {
                runtime.spawn(async move {
                    tokio::time::sleep(store.grace).await;
                    store.by_key.remove(&key);
                });
            }
            Err(_) => {
                store.by_key.remove(&key);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_during_the_run_and_its_grace_then_forgotten() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        runtime.block_on(async {
            let store = Arc::new(JobCredentials::new(Duration::from_millis(300)));
            let issued = store.issue("111122223333", "us-east-1", "jr_1", role_arn("R", "111122223333"));
            let key = issued.credential.access_key_id.clone();
            assert!(key.starts_with("ASIA") && key.len() == 20);
            let found = store.valid(&key).expect("valid while the run goes on");
            assert_eq!(found.role_arn, "arn:aws:iam::111122223333:role/R");
            assert!(store.valid("ASIAUNKNOWN").is_none());
            let ended = Instant::now();
            drop(issued);
            assert!(store.valid(&key).is_some(), "valid in its grace");
            let deadline = ended + Duration::from_secs(10);
            while store.is_issued(&key) && Instant::now() < deadline {
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
            assert!(!store.is_issued(&key), "forgotten after its grace");
            assert!(ended.elapsed() >= Duration::from_millis(300));
        });
    }

    #[test]
    fn credentials_differ() {
        let store = Arc::new(JobCredentials::new(Duration::ZERO));
        let (a, b) = (
            store.issue("1", "r", "jr_1", "x".into()),
            store.issue("1", "r", "jr_2", "x".into()),
        );
        assert_ne!(a.credential.access_key_id, b.credential.access_key_id);
        assert_ne!(a.credential.secret_access_key(), b.credential.secret_access_key());
        let key = a.credential.access_key_id.clone();
        assert!(store.is_issued(&key));
        drop((a, b));
        assert!(!store.is_issued(&key), "without a runtime, forgotten at once");
    }

    #[test]
    fn role_names_become_arns() {
        assert_eq!(role_arn("arn:aws:iam::1:role/p/R", "2"), "arn:aws:iam::1:role/p/R");
        assert_eq!(role_arn("R", "2"), "arn:aws:iam::2:role/R");
    }
}
