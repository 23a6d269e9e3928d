// Package smbflow is the flow adapter for SMB on TCP 445 and 139:
// importing it registers protocol "smb" with package flow. It reports the
// negotiations (the dialects a client offers, the one the server chooses,
// and whether SMBv1, the protocol the WannaCry worm spread over, is
// spoken) and the NTLM authentication inside the session setup: the
// server's CHALLENGE (its operating system version and NetBIOS and DNS
// names) and the client's AUTHENTICATE (user, domain, workstation and
// operating system). Passwords, challenge responses and session keys never
// reach an event.
//
// Decoding is done by packages netproto/smb and netproto/ntlmssp; the
// adapter only translates. Encrypted SMB 3 messages after the session setup
// are recognised by their transform headers and skipped, as are READ and
// WRITE data; at most MaxMessageBytes of any other message are buffered (64
// KiB by default).
package smbflow

import (
	"time"
	"unicode/utf8"

	"github.com/medtap/medtap/flow"

	"github.com/medtap/medtap/netproto/ntlmssp"
	"github.com/medtap/medtap/netproto/smb"
)

// Name is the protocol's name in events and [flow.Config.Protocols].
const Name = "smb"

// The kinds of event the adapter emits, with their Detail.
const (
	// KindNegotiate: one NEGOTIATE exchange, emitted with the server's
	// response (or with the request alone when no response came):
	// dialects offered, dialect chosen, smb1, server_guid, security_mode,
	// signing_required, capabilities, contexts and netname (SMB 3.1.1),
	// and on port 139 the NetBIOS names of the session request.
	// [*Negotiate]
	KindNegotiate flow.Kind = "negotiate"
	// KindNTLMChallenge: the server's NTLMSSP CHALLENGE: os, os_version,
	// netbios_computer, netbios_domain, dns_computer, dns_domain,
	// dns_tree, target_name, timestamp (the server's clock), and over
	// SMB1 the native_os and native_lanman strings of the session setup
	// response. [*Challenge]
	KindNTLMChallenge flow.Kind = "ntlm-challenge"
	// KindNTLMAuth: the client's NTLMSSP AUTHENTICATE, or an SMB1 session
	// setup without extended security: user, domain, workstation, os,
	// os_version, response (anonymous, lm, ntlmv1, ntlmv2, or plaintext
	// when the server accepts passwords in clear), and over SMB1
	// native_os and native_lanman. [*Auth]
	KindNTLMAuth flow.Kind = "ntlm-auth"
	// Malformed input is reported as [flow.KindError].
)

func init() {
	flow.Register(flow.Protocol{
		Name:      Name,
		Transport: flow.TCP,
		Ports:     []uint16{445, 139},
		Match:     smb.Sniff,
		New:       newDecoder,
	})
}

// maxDialects caps the dialects of a request that are reported (SMB1
// clients offer about a dozen), and maxName the bytes kept of each decoded
// name.
const (
	maxDialects = 32
	maxName     = 256
)

// Negotiate is the Detail of "negotiate" events. Its views are valid only
// during the event.
type Negotiate struct {
	// SMB1 is set when the negotiation is SMBv1's: the client offered an
	// SMB1 dialect (in an SMB1 NEGOTIATE, beside or without "SMB 2.002"),
	// or the server chose one.
	SMB1 bool
	// SMB1Chosen is set when the server chose an SMB1 dialect: it speaks
	// SMBv1.
	SMB1Chosen bool
	// Dialects are the dialects offered, in order: SMB1 dialect strings
	// ("NT LM 0.12", "SMB 2.???") or SMB2 dialects ("2.0.2", "3.1.1").
	Dialects [][]byte
	// Dialect is the dialect chosen, empty when the response was not seen
	// (or, for SMB1, named an index the request seen did not have, then
	// in DialectIndex).
	Dialect      []byte
	DialectIndex int // SMB1: the index chosen, -1 when none or not SMB1
	Responded    bool
	// The server's response: its GUID, security mode (SMB2: 1 signing
	// enabled, 2 required; SMB1: 1 user level, 2 encrypted passwords, 4
	// signing enabled, 8 required) and capabilities.
	ServerGUID      smb.GUID
	SecurityMode    uint16
	SigningRequired bool
	Capabilities    uint32
	// Contexts are the negotiate contexts the client offered (SMB 3.1.1),
	// NetName the server name in its NETNAME context.
	Contexts []smb.ContextType
	NetName  []byte
	// NetBIOSDomain and NetBIOSComputer are an SMB1 server's workgroup or
	// domain and name, sent in its NEGOTIATE response without extended
	// security.
	NetBIOSDomain, NetBIOSComputer []byte
	// Called and Calling are the names of a NetBIOS session request on
	// port 139: the server's as the client called it and the client's.
	Called, Calling []byte
	fromServer      bool
}

// AppendJSON implements [flow.Detail].
func (n *Negotiate) AppendJSON(dst []byte) []byte {
	dst = flow.AppendKey(dst, "dialects")
	dst = append(dst, '[')
	for i, d := range n.Dialects {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = flow.AppendQuotedBytes(dst, d)
	}
	dst = append(dst, ']')
	dst = flow.AppendNonEmpty(dst, "dialect", n.Dialect)
	if n.DialectIndex >= 0 && len(n.Dialect) == 0 {
		dst = flow.AppendInt(dst, "dialect_index", int64(n.DialectIndex))
	}
	if n.SMB1 {
		dst = flow.AppendBool(dst, "smb1", true)
	}
	if n.SMB1Chosen {
		dst = flow.AppendBool(dst, "smb1_chosen", true)
	}
	if n.Responded {
		if !n.ServerGUID.IsZero() {
			dst = flow.AppendKey(dst, "server_guid")
			dst = append(n.ServerGUID.AppendTo(append(dst, '"')), '"')
		}
		dst = flow.AppendInt(dst, "security_mode", int64(n.SecurityMode))
		dst = flow.AppendBool(dst, "signing_required", n.SigningRequired)
		dst = flow.AppendInt(dst, "capabilities", int64(n.Capabilities))
	}
	if len(n.Contexts) > 0 {
		dst = flow.AppendKey(dst, "contexts")
		dst = append(dst, '[')
		for i, t := range n.Contexts {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = flow.AppendQuoted(dst, t.String())
		}
		dst = append(dst, ']')
	}
	dst = flow.AppendNonEmpty(dst, "netname", n.NetName)
	dst = flow.AppendNonEmpty(dst, "netbios_domain", n.NetBIOSDomain)
	dst = flow.AppendNonEmpty(dst, "netbios_computer", n.NetBIOSComputer)
	dst = flow.AppendNonEmpty(dst, "netbios_called", n.Called)
	dst = flow.AppendNonEmpty(dst, "netbios_calling", n.Calling)
	return dst
}

// Identify implements [flow.Identifier]: an SMB1 server's NetBIOS name
// (NEGOTIATE without extended security) and the client's NetBIOS name from
// a session request on port 139.
func (n *Negotiate) Identify(k flow.Kind, buf []byte, yield func(flow.Identity)) {
	if len(n.NetBIOSComputer) > 0 {
		yield(flow.Identity{Source: n.fromServer, Kind: "host", Name: n.NetBIOSComputer})
	}
	if len(n.Calling) > 0 {
		yield(flow.Identity{Source: !n.fromServer, Kind: "host", Name: n.Calling})
	}
}

// Challenge is the Detail of "ntlm-challenge" events. Its views are valid
// only during the event.
type Challenge struct {
	// OS names the operating system of the server's NTLM Version, such as
	// "Windows 7 SP1 / Server 2008 R2 (6.1.7601)" (from the table of
	// package ntlmssp), and OSVersion is "6.1.7601"; both are
	// empty when the CHALLENGE carries no Version.
	OS, OSVersion []byte
	// The names of the server's target information (AV pairs), and its
	// target name.
	NetBIOSComputer, NetBIOSDomain  []byte
	DNSComputer, DNSDomain, DNSTree []byte
	TargetName                      []byte
	// Timestamp is the server's clock (zero when absent).
	Timestamp time.Time
	// NativeOS and NativeLanMan come with an SMB1 session setup response.
	NativeOS, NativeLanMan []byte
}

// AppendJSON implements [flow.Detail].
func (ch *Challenge) AppendJSON(dst []byte) []byte {
	dst = flow.AppendNonEmpty(dst, "os", ch.OS)
	dst = flow.AppendNonEmpty(dst, "os_version", ch.OSVersion)
	dst = flow.AppendNonEmpty(dst, "netbios_computer", ch.NetBIOSComputer)
	dst = flow.AppendNonEmpty(dst, "netbios_domain", ch.NetBIOSDomain)
	dst = flow.AppendNonEmpty(dst, "dns_computer", ch.DNSComputer)
	dst = flow.AppendNonEmpty(dst, "dns_domain", ch.DNSDomain)
	dst = flow.AppendNonEmpty(dst, "dns_tree", ch.DNSTree)
	dst = flow.AppendNonEmpty(dst, "target_name", ch.TargetName)
	if !ch.Timestamp.IsZero() {
		dst = flow.AppendTime(flow.AppendKey(dst, "timestamp"), ch.Timestamp)
	}
	dst = flow.AppendNonEmpty(dst, "native_os", ch.NativeOS)
	dst = flow.AppendNonEmpty(dst, "native_lanman", ch.NativeLanMan)
	return dst
}

// Identify implements [flow.Identifier]: the server's operating system
// (or, without a Version, its SMB1 native OS string) and its NetBIOS and
// DNS computer names.
func (ch *Challenge) Identify(k flow.Kind, buf []byte, yield func(flow.Identity)) {
	identifyOS(ch.OS, ch.NativeOS, yield)
	if len(ch.NetBIOSComputer) > 0 {
		yield(flow.Identity{Source: true, Kind: "host", Name: ch.NetBIOSComputer})
	}
	if len(ch.DNSComputer) > 0 {
		yield(flow.Identity{Source: true, Kind: "host", Name: ch.DNSComputer})
	}
}

func identifyOS(os, native []byte, yield func(flow.Identity)) {
	if len(os) == 0 {
		os = native
	}
	if len(os) > 0 {
		yield(flow.Identity{Source: true, Kind: "os", Name: os})
	}
}

// Auth is the Detail of "ntlm-auth" events. Its views are valid only
// during the event.
type Auth struct {
	User, Domain, Workstation []byte
	// OS and OSVersion are those of the client's NTLM Version, from the
	// AUTHENTICATE or else the NEGOTIATE of the same session setup.
	OS, OSVersion []byte
	// Response is the kind of response sent: "anonymous", "lm", "ntlmv1",
	// "ntlmv2", or "plaintext" for a password in clear (an SMB1 server that
	// does not encrypt passwords); "" when unknown.
	Response string
	// NativeOS and NativeLanMan come with an SMB1 session setup request.
	NativeOS, NativeLanMan []byte
}

// AppendJSON implements [flow.Detail].
func (a *Auth) AppendJSON(dst []byte) []byte {
	dst = flow.AppendBytes(dst, "user", a.User)
	dst = flow.AppendNonEmpty(dst, "domain", a.Domain)
	dst = flow.AppendNonEmpty(dst, "workstation", a.Workstation)
	dst = flow.AppendNonEmpty(dst, "os", a.OS)
	dst = flow.AppendNonEmpty(dst, "os_version", a.OSVersion)
	if a.Response != "" {
		dst = flow.AppendString(dst, "response", a.Response)
	}
	dst = flow.AppendNonEmpty(dst, "native_os", a.NativeOS)
	dst = flow.AppendNonEmpty(dst, "native_lanman", a.NativeLanMan)
	return dst
}

// Identify implements [flow.Identifier]: the client's operating system
// (or its SMB1 native OS string) and its workstation name.
func (a *Auth) Identify(k flow.Kind, buf []byte, yield func(flow.Identity)) {
	identifyOS(a.OS, a.NativeOS, yield)
	if len(a.Workstation) > 0 {
		yield(flow.Identity{Source: true, Kind: "host", Name: a.Workstation})
	}
}

// appendName appends s decoded as UTF-8, cut to maxName bytes at a rune
// boundary; appendNTLM is appendName for NTLMSSP strings.
func appendName(dst []byte, s smb.String) []byte { return capName(s.AppendTo(dst), len(dst)) }

func appendNTLM(dst []byte, s ntlmssp.String) []byte { return capName(s.AppendTo(dst), len(dst)) }

// capName cuts what was appended to b after start to maxName bytes, at a
// rune boundary.
func capName(b []byte, start int) []byte {
	if len(b)-start <= maxName {
		return b
	}
	end := start + maxName
	for end > start && !utf8.RuneStart(b[end]) {
		end--
	}
	return b[:end]
}
