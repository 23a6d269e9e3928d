package http

import (
	"bytes"
	"strconv"
)

// Kind says whether a [Message] is a request or a response.
type Kind uint8

// Message kinds.
const (
	KindRequest  Kind = iota + 1 // a request line and its headers
	KindResponse                 // a status line and its headers
)

// String returns "request", "response" or a form like "Kind(7)".
func (k Kind) String() string {
	switch k {
	case KindRequest:
		return "request"
	case KindResponse:
		return "response"
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// Message is the head of one request or response, with what the decoder
// saw of its body's first bytes. Its byte slices are views into the
// decoder's buffers, valid until the next call to Next, Feed, Gap or Reset.
type Message struct {
	Kind   Kind
	Offset int64 // stream offset of the message's first byte

	// Request line.
	Method []byte
	// Target is the request target (the path and query, or an absolute
	// URI for a proxy), cut to [Decoder.MaxPath] bytes at a UTF-8
	// character boundary; TargetTruncated says it was cut.
	Target          []byte
	TargetTruncated bool
	// Version is "1.0" or "1.1" (the digits after "HTTP/").
	Version []byte

	// Status line.
	Status int
	Reason []byte

	// Headers the decoder reads (the first of each when repeated; empty
	// when absent).
	Host, UserAgent, Server, ContentType []byte
	// ContentLength is the Content-Length header's value, -1 when absent.
	ContentLength int64
	// Chunked says the body uses the chunked transfer coding.
	Chunked bool
	// Body says the message has a body (possibly empty) by its framing:
	// false for a request without Content-Length or chunked coding, and
	// for responses to HEAD, 1xx, 204 and 304 responses.
	Body bool
	// Tunnel says the stream is no longer HTTP after this message, in
	// both directions: a 101 (Switching Protocols) response or a 2xx
	// response to CONNECT. The decoder that returned it skips the rest of
	// its stream; the caller tells the other direction's decoder with
	// [Decoder.Tunnel].
	Tunnel bool

	// BasicAuth says the request has an "Authorization: Basic" header;
	// BasicUser is its user name (up to the first colon of the decoded
	// credentials). DefaultCredential says [Decoder.IsDefault] accepted
	// the user and password. The password itself is never returned.
	BasicAuth         bool
	BasicUser         []byte
	DefaultCredential bool

	// BodyMagic is what the first bytes of the body start with (for a
	// multipart body, its first part's content); PreambleExecutable is
	// set for a DICOM file whose preamble holds an executable header.
	BodyMagic          Magic
	PreambleExecutable bool
	// BodyPrefix is the first bytes of the body that the decoder kept
	// (after removing the chunked coding): up to 132 bytes, or
	// [Decoder.MaxBodyPrefix] for a multipart body, fewer when the body
	// is shorter or ended early.
	BodyPrefix []byte

	// Head is the whole head, start line and headers up to the empty
	// line that ends them, with the credentials of an Authorization:
	// Basic header replaced by '*'.
	Head []byte
}

// Headers returns an iterator over the header lines of the head.
func (m *Message) Headers() Headers {
	h := Headers{rest: m.Head}
	if i := bytes.IndexByte(h.rest, '\n'); i >= 0 {
		h.rest = h.rest[i+1:]
	} else {
		h.rest = nil
	}
	return h
}

// Headers iterates over the header fields of a head:
//
//	for h := m.Headers(); h.Next(); {
//		name, value := h.Name(), h.Value()
//	}
//
// Continuation lines (obsolete line folding) are skipped. Name and Value
// are views into the head.
type Headers struct {
	rest, name, value []byte
}

// Next advances to the next header field and reports whether there is one.
func (h *Headers) Next() bool {
	for len(h.rest) > 0 {
		var line []byte
		if i := bytes.IndexByte(h.rest, '\n'); i >= 0 {
			line, h.rest = h.rest[:i], h.rest[i+1:]
		} else {
			line, h.rest = h.rest, nil
		}
		line = trimCR(line)
		if len(line) == 0 {
			h.rest = nil
			return false
		}
		if line[0] == ' ' || line[0] == '\t' {
			continue
		}
		c := bytes.IndexByte(line, ':')
		if c <= 0 {
			continue
		}
		h.name, h.value = line[:c], trimOWS(line[c+1:])
		return true
	}
	return false
}

// Name returns the current field's name as sent.
func (h *Headers) Name() []byte { return h.name }

// Value returns the current field's value without surrounding spaces.
func (h *Headers) Value() []byte { return h.value }

func trimCR(b []byte) []byte {
	if n := len(b); n > 0 && b[n-1] == '\r' {
		return b[:n-1]
	}
	return b
}

func trimOWS(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t') {
		b = b[1:]
	}
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t') {
		b = b[:len(b)-1]
	}
	return b
}
