// Package credential is the security core of signing in: password policy and
// hashing, the breached-password list, TOTP, one-time codes and backup codes,
// and attempt limits (NIST SP 800-63B at AAL2; see DOMAIN.md).
//
// It does no I/O: no HTTP, no database, no clock of its own. Callers pass in
// the time and the counts they keep, and store what it returns (hashes, TOTP
// steps), so every rule here is unit-tested without a server.
package credential
