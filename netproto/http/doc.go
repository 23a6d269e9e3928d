// Package http is a passive decoder of HTTP/1.x: it reads the request and
// response heads of one direction of a TCP stream (request line or status
// line, and the headers) and skips the bodies without buffering them,
// keeping only their first bytes to tell what they start with ([Magic]: a
// DICOM Part 10 file, a Windows or Linux executable, an archive, ...).
//
// A [Decoder] follows the message framing of RFC 9112: Content-Length,
// the chunked transfer coding chunk by chunk, bodies that last until the
// connection closes, interim (1xx) responses, responses to HEAD and the
// 204 and 304 responses without a body, pipelined requests, and tunnels
// (CONNECT, 101 Switching Protocols) after which the stream is no longer
// HTTP. Every buffer is bounded: a head by [Decoder.MaxHead] and
// [Decoder.MaxHeaders], the body prefix by [Decoder.MaxBodyPrefix].
//
// The user name of an "Authorization: Basic" header is decoded; its
// password is only compared, through [Decoder.IsDefault], with a list of
// default credentials the caller supplies, then erased, and the header's
// credentials are masked in the head the decoder returns.
//
// Decoding allocates nothing in steady state: the buffers grow once up to
// the limits and are reused. Only errors allocate.
package http
