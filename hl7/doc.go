// Package hl7 parses HL7 version 2 messages (2.1 to 2.8.x, Z segments
// included) as views over the caller's bytes.
//
// A [Message] is reusable: [Message.Parse] reads the delimiters from MSH-1
// and MSH-2, indexes the segments (separated by CR, LF or CRLF; the style
// seen is reported by [Message.Terminators]) and keeps nothing but offsets.
// Segments, fields, repetitions, components and sub-components are then
// reached by 1-based index through [Segment] and [Value], by cursors
// ([Segment.Fields] and [Value.Reps], [Value.Comps], [Value.Subs], or
// [Segment.Leaves] for every leaf in one pass), or by a path such as "PID-5",
// "PID-3(2)-1" or "OBX(2)-5-1-2" through [Message.Get]. Parse indexes every
// field separator, so a field is found in constant time. Indices out of range
// give an empty Value, never a panic.
//
// Values are raw, escaped bytes. [Value.AppendUnescaped] and [AppendUnescaped]
// decode escape sequences into a caller buffer; [AppendEscaped] is the
// inverse for builders. [AppendUTF8] converts text in an MSH-18 character set
// (CNS 11643-1992 included, see [Charset]) to UTF-8, and [AppendText] and
// [Value.AppendText] unescape and convert in one pass, following the
// character set switches \Cxxyy\ and \Mxxyyzz\ that AppendUnescaped drops.
//
// [Batch] iterates the messages of a batch (BHS/BTS) or file (FHS/FTS) and
// checks the counts in the trailers. [Message.Ack] reads the MSA segment of
// an acknowledgement, classified by [AckCode] (AA, AE, AR, CA, CE, CR);
// [AppendACK] builds an acknowledgement and [Builder] builds messages, both
// by appending to the caller's buffer. [Sniff] tells whether bytes begin a
// message, batch or file.
//
// Limits: [Message.MaxSegments] and [Message.MaxFields] (and the same fields
// of Batch) cap the index of one message; 0 means [DefaultMaxSegments] and
// [DefaultMaxFields].
//
// Allocation: once a Message has indexed a message with as many segments as
// the current one, parsing, field access, cursors, path look-ups, batch
// iteration, reading acknowledgements, unescaping into a buffer with room
// and building allocate nothing.
//
// Structure checks (which segments a message type requires) are not done:
// every syntactically valid message parses alike, whatever its version.
package hl7
