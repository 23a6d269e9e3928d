// Package astm decodes the ASTM protocols that clinical laboratory analysers
// use to talk to a laboratory information system (LIS): ASTM E1381 (CLSI
// LIS1-A), the low-level link protocol, and ASTM E1394 (CLSI LIS2-A2), the
// records it carries.
//
// # Records (E1394)
//
// A message is a sequence of records separated by CR: a header (H), patients
// (P), orders (O), results (R), comments (C), requests (Q), manufacturer (M)
// and scientific (S) records, and a terminator (L). The header's second field
// names the delimiters of the rest of the message, usually `|\^&` (field,
// repeat, component, escape) but any set is allowed, for example `|@^\`.
//
// A [Parser] is a cursor over caller-owned bytes holding records without the
// link framing (a file, or the joined text of frames):
//
//	var p astm.Parser
//	p.Start(buf)
//	for {
//		rec, err := p.Next()
//		if err == io.EOF { break }
//		...
//		if rec.Type == astm.TypeResult { res, _ := rec.Result() ... }
//	}
//
// A [Record] is a view: its fields, repeats and components are sub-slices of
// the input and typed summaries ([Record.Header], [Record.Patient],
// [Record.Order], [Record.Result], [Record.Comment], [Record.Query],
// [Record.Manufacturer], [Record.Scientific], [Record.Terminator]) are structs
// of such views, so parsing allocates nothing. A manufacturer record's fields
// after the sequence number are the vendor's: [Manufacturer.Kind] is the
// record kind most vendors put in M.3, and [Manufacturer.Field] gives the rest. [Delimiters.AppendUnescape]
// decodes escape sequences into a caller buffer.
//
// # Link layer (E1381)
//
// A [Decoder] is fed one direction of a byte stream in chunks of any size. It
// reports the establishment and release characters (ENQ, ACK, NAK, EOT),
// frames (STX, frame number 0–7, text, ETB for an intermediate frame or ETX
// for a final one, two hex digits of checksum, CR LF) with the checksum
// verified, and the records carried by the frames, joined across intermediate
// frames within a bounded buffer. A frame whose checksum does not match is
// reported as an error and its text is never used. Bytes that are not part of
// the protocol are skipped until the decoder finds the next frame or control
// character. A stream that starts with a header record instead of a control
// character is read as records without framing.
//
// The zero value of a Decoder is ready to use; its limits are the fields
// MaxFrame and MaxRecord (0 means [DefaultMaxFrame], [DefaultMaxRecord]).
// [Decoder.Flush] reports what is left at the end of a stream.
//
// # Link states and comments
//
// A Decoder sees one direction and no clock. A [Link] observes the items of
// both directions with the times they were seen and reports contention (an
// ENQ answered by an ENQ) and timeouts (a reply later than the sender's
// 15 s timer, a frame later than the receiver's 30 s timer). An [Annotator]
// per direction tells which record a comment annotates: the last record
// other than a comment in the same transfer.
//
// [Sniff] tells whether the first bytes of a stream look like ASTM.
//
// Allocation: [Parser.Next], the record summaries, [Decoder.Next],
// [Link.Observe], [Annotator.Observe] and [Sniff] allocate nothing except to
// return an error; a Decoder's buffer grows up to its limits and is then
// reused.
package astm
