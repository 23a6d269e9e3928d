package detect

import (
	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/flow/loginflow"
	"github.com/medtap/medtap/flow/snmpflow"
)

func init() { register(func() Detector { return new(cleartextDetector) }) }

// cleartextDetector raises cleartext.credentials for every login seen in
// clear text: FTP, Telnet, HTTP Basic, POP3, IMAP, a DICOM user identity
// (the loginflow adapters) and SNMP communities. A known default
// credential raises it as high; a failed login as low unless it was a
// default pair. The password is never in the alert.
type cleartextDetector struct{}

const ruleCleartext = "cleartext.credentials"

func (*cleartextDetector) Name() string { return "cleartext" }

func (*cleartextDetector) Rules() []Rule {
	return []Rule{{
		ID:        ruleCleartext,
		Severity:  Medium,
		Technique: "T0859 Valid Accounts",
		Doc:       "a login in clear text (FTP, Telnet, HTTP Basic, POP3, IMAP, DICOM user identity, SNMP community); high when it is a known default credential",
	}}
}

func (*cleartextDetector) Configure(Params) error { return nil }

func (*cleartextDetector) Event(c *Context, e *flow.Event) {
	if e.Kind != loginflow.KindLogin {
		return
	}
	var proto string
	var user []byte
	var dflt bool
	outcome := loginflow.Unknown
	switch d := e.Detail.(type) {
	case *loginflow.Login:
		proto, user, dflt, outcome = d.Protocol, d.User, d.DefaultCredential, d.Outcome
	case *snmpflow.Login:
		proto, dflt = "snmp", d.Default
	default:
		return
	}
	sev := Medium
	switch {
	case dflt:
		sev = High
	case outcome == loginflow.Failure:
		sev = Low
	}
	a := c.AlertSeverity(ruleCleartext, sev, e.Key, e.Src, e.Dst)
	if a == nil {
		return
	}
	switch {
	case dflt:
		a.Technique = "T0812 Default Credentials"
		a.Summary = proto + " login in clear text with a known default credential"
	case outcome == loginflow.Failure:
		a.Summary = "failed " + proto + " login in clear text"
	default:
		a.Summary = proto + " login in clear text"
	}
	a.Evidence = append(a.Evidence, Field{"protocol", proto})
	if d, ok := e.Detail.(*snmpflow.Login); ok {
		a.Evidence = append(a.Evidence, Field{"version", d.Version.String()})
	}
	if len(user) > 0 {
		a.Evidence = append(a.Evidence, Field{"user", string(user)})
	}
	switch outcome {
	case loginflow.Success:
		a.Evidence = append(a.Evidence, Field{"outcome", "success"})
	case loginflow.Failure:
		a.Evidence = append(a.Evidence, Field{"outcome", "failure"})
	}
	if dflt {
		a.Evidence = append(a.Evidence, Field{"default_credential", "true"})
	}
}
