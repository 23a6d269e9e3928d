package http

import "bytes"

// methods are the request methods Sniff accepts: those of RFC 9110, PATCH
// and WebDAV's.
var methods = [...]string{"GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "PATCH", "CONNECT", "TRACE",
	"PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK", "REPORT", "SEARCH"}

// Sniff reports whether data, the first payload bytes of one direction of a
// stream, begin HTTP/1.x: a status line ("HTTP/1.1 200"), or a known request
// method followed by a space, whose line, when data holds all of it, ends
// with "HTTP/1.0" or "HTTP/1.1" (so that RTSP's "OPTIONS ... RTSP/1.0" and
// HTTP/2's preface are not taken). It never keeps data and never allocates.
func Sniff(data []byte) bool {
	if hasPrefix(data, "HTTP/1.") {
		if nl := bytes.IndexByte(data, '\n'); nl >= 0 {
			_, ok := parseStartLine(data[:nl+1])
			return ok
		}
		return len(data) >= 12 && isDigit(data[7]) && data[8] == ' ' &&
			isDigit(data[9]) && isDigit(data[10]) && isDigit(data[11])
	}
	if len(data) < 4 || data[0] < 'A' || data[0] > 'Z' {
		return false
	}
	sp := bytes.IndexByte(data[:min(len(data), 11)], ' ')
	if sp < 3 {
		return false
	}
	known := false
	for _, m := range methods {
		if string(data[:sp]) == m {
			known = true
			break
		}
	}
	if !known {
		return false
	}
	if nl := bytes.IndexByte(data, '\n'); nl >= 0 {
		_, ok := parseStartLine(data[:nl+1])
		return ok
	}
	return true
}
