// Package smb decodes SMB as a passive observer sees it on TCP 445 and
// 139: SMB1 (CIFS, the protocol the 2017 WannaCry worm spread over to
// unpatched Windows) and SMB 2 and 3, with the signals that tell what a
// host runs: the dialects a client offers and the one the server chooses,
// the server's GUID, capabilities and signing requirements, and the
// security blobs of the session setup that carry NTLMSSP (decoded by
// package ntlmssp), or without extended security the account and domain
// names and the client's and server's native OS strings.
//
// A [Decoder] takes one direction of a connection in chunks of any size and
// returns [Item]s: every SMB1 and SMB2 message (SMB2 compound chains one
// message at a time), NetBIOS session requests and responses (port 139),
// and the headers of encrypted and compressed SMB 3 messages, whose content
// it skips. Messages are views; READ and WRITE data and anything longer
// than [Decoder.MaxMessage] pass through without being buffered.
//
// A [Message] has its header parsed ([Header1], [Header2]); the bodies
// that matter for identification are parsed on demand by methods:
// [Message.NegotiateRequest1] (dialect strings), [Message.NegotiateResponse1],
// [Message.SessionSetupRequest1], [Message.SessionSetupResponse1],
// [Message.NegotiateRequest2] (dialects and negotiate contexts),
// [Message.NegotiateResponse2], [Message.SessionSetupRequest2] and
// [Message.SessionSetupResponse2]. [ParseMessage] parses a message held
// whole by the caller. Strings are [String] views, UTF-16LE or OEM, that
// [String.AppendTo] decodes into a caller's buffer. Passwords and challenge
// responses are never returned, only their lengths.
//
// [Sniff] tells whether the first bytes of a stream look like SMB.
//
// Allocation: Decoder.Next, the body parsers, their iterators and Sniff
// allocate nothing except to return an error; a Decoder's buffer grows up
// to its limit and is then reused.
package smb
