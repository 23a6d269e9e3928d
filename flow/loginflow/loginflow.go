// Package loginflow holds what the flow adapters of protocols that carry
// logins in clear text share: the "cleartext-login" kind and its Detail.
// It registers no protocol; FTP, Telnet, HTTP Basic, POP3, IMAP and DICOM
// user identities report their logins with it, so a consumer needs one type
// switch case for all of them.
//
// A Login names the user, never the password: the adapters compare the
// password with the list of vendor default credentials (package
// netproto/defcred) inside their decoder and keep only the answer.
package loginflow

import "github.com/medtap/medtap/flow"

// KindLogin is the kind of the event an adapter emits once per login seen
// in clear text, with a [*Login]. Its source is the client that logged in.
const KindLogin flow.Kind = "cleartext-login"

// Outcome is what the server answered to a login, when it said.
type Outcome uint8

// Outcomes.
const (
	Unknown Outcome = iota // no answer seen (or the protocol gives none)
	Success
	Failure
)

// Login is the Detail of "cleartext-login" events. User is a view valid
// only during the event.
type Login struct {
	Protocol string // "ftp", "telnet", "http", "pop3", "imap", "dicom"
	User     []byte
	Outcome  Outcome
	// DefaultCredential says the user and password are a vendor default
	// pair of netproto/defcred's list.
	DefaultCredential bool
}

// AppendJSON implements [flow.Detail]: protocol, user, success (when the
// answer was seen) and default_credential (when true).
func (l *Login) AppendJSON(dst []byte) []byte {
	dst = flow.AppendString(dst, "protocol", l.Protocol)
	dst = flow.AppendBytes(dst, "user", l.User)
	if l.Outcome != Unknown {
		dst = flow.AppendBool(dst, "success", l.Outcome == Success)
	}
	if l.DefaultCredential {
		dst = flow.AppendBool(dst, "default_credential", true)
	}
	return dst
}

// User holds a user name across packets in a fixed buffer, for adapters
// that report a login when its answer comes. Names longer than the buffer
// are cut.
type User struct {
	buf [64]byte
	n   uint8
}

// Set copies name.
func (u *User) Set(name []byte) { u.n = uint8(copy(u.buf[:], name)) }

// Bytes returns the name, a view valid until the next Set.
func (u *User) Bytes() []byte { return u.buf[:u.n] }
