// Package ntlmssp reads the messages of NTLM authentication (MS-NLMP) as a
// passive observer sees them inside SMB, HTTP, LDAP or DCE/RPC: the
// client's NEGOTIATE, the server's CHALLENGE and the client's AUTHENTICATE.
//
// [Parse] returns a [Message] of views into the caller's bytes: the
// negotiate flags, the [Version] structure of the sender (Windows major,
// minor and build numbers and the NTLM revision), the CHALLENGE's target
// name and AV pairs (NetBIOS and DNS names of the server and its domain,
// the server's clock), and the AUTHENTICATE's user, domain and workstation
// names. Strings are [String] views, UTF-16LE or OEM as the flags say;
// [String.AppendTo] decodes one into a caller's buffer as UTF-8.
//
// What an eavesdropper could crack or replay is never returned: the LM and
// NT challenge responses, the server challenge, the session key and the
// MIC are skipped, and an AUTHENTICATE only says which kind of response it
// carried ([Response]: anonymous, LM, NTLMv1 or NTLMv2).
//
// [Version.AppendOS] names the operating system a Version stands for, such
// as "Windows 7 SP1 / Server 2008 R2 (6.1.7601)", from a table of Windows
// builds in which every entry names its public source; Samba, which sends
// the fixed version 6.1.0, is named as such.
//
// NTLMSSP usually travels inside SPNEGO (RFC 4178), itself in a GSS-API
// framing (RFC 2743), both DER-encoded: [Unwrap] returns the NTLMSSP
// message inside such a blob, or the blob itself when it is a bare
// NTLMSSP message.
//
// Allocation: Parse, Unwrap, the [AVPairs] iterator, [Message.Target],
// [String.AppendTo] (into a buffer with room) and [Version.AppendOS]
// allocate nothing except to return an error.
package ntlmssp
