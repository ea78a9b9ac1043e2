//! Integration tests of the sign-in layer against the fake account server: U2M login with a
//! scripted browser (and a real headless Chromium), the loopback listener, paste-back, the
//! refreshing session, M2M client credentials and token federation.

mod browser;
mod login;
mod loopback;
mod machine;
mod session;
mod support;
mod webdriver;
