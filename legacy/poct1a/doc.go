// Package poct1a decodes POCT1-A2 (CLSI POCT1-A) device messages: the XML
// documents that point-of-care analysers (blood gas, glucose meters,
// coagulation, ...) exchange with a data manager over TCP.
//
// A [Decoder] is fed one direction of a stream in chunks of any size. It
// tokenizes the XML with bounded memory (a tag longer than the configured
// limit is skipped and reported, text between tags is buffered only inside
// notes, events and reagents, up to [MaxText] bytes) and yields, per
// message, in document order:
//
//   - one [Observation] per OBS element: observation ID and coding system,
//     value and unit or qualitative value, method, interpretation, with the
//     service time and role (OBS patient, LQC QC, CAL calibration, ...),
//     patient and operator IDs in force, and the lot and level of the QC or
//     calibration material (CTC) it was made on;
//   - one [Note] per NTE element: the NTE.text value and the character data,
//     with the record it annotates (an observation, the service, ...);
//   - one [Reagent] per RGT element (strip or cartridge name, lot, expiry);
//   - one [Control] per CTC element of an OBS.R02 message (QC or
//     calibration material: name, lot, expiry, level, observations);
//   - one [Event] per EVT element of an EVS.R01 message;
//   - one [Message] at the end of each root element: its type (HEL.R01,
//     DST.R01, OBS.R01, OBS.R02, EVS.R01, EOT.R01, ACK.R01, DTV.R01, DTV.R02,
//     REQ.R01, END.R01, vendor types ...), header (control ID, version,
//     creation time), device identity (device ID, vendor, model, serial,
//     manufacturer, hardware and software versions, device name: the
//     evidence for fingerprints), device capabilities (the DCP and DSC
//     objects: application timeout, connection profile, supported topics and
//     directives, maximum message size), acknowledgement (type and
//     acknowledged control ID), status (new observations and events,
//     condition), topic of an EOT, directive of a DTV with its parameters
//     (TM.dttm of SET_TIME, the leaf elements of vendor directives), request
//     code, termination reason, and the number of items it held.
//
// POCT1-A2 has no DCP.R01 message: device capabilities travel as the DCP and
// DSC objects inside the DEV object of HEL.R01; they are decoded wherever
// they appear.
//
// Values are read from the V attribute of the leaf elements, as POCT1-A
// encodes them, and copied into fixed-size buffers inside the decoder so
// that they stay valid until the next call; a value that does not fit is
// truncated and the item says so. Values and character data are kept as
// sent, entities included; [AppendText] decodes the predefined entities and
// character references into a caller's buffer and reports malformed ones.
// CDATA content is escaped as it is kept, so that AppendText gives it back.
//
// XML: elements are matched by local name, so namespace prefixes and xmlns
// declarations make no difference. Comments, processing instructions and
// DOCTYPE declarations are skipped (a DOCTYPE with an internal subset ends
// at its first '>'; what follows is text and ignored, and entities it
// declares are not expanded). Documents must be UTF-8 (a UTF-8 byte
// order mark is fine): a stream that starts like UTF-16 or UCS-4 (a byte
// order mark, or a NUL in its first two bytes) is rejected with
// [ErrEncoding] and discarded until Reset. The vendor interface
// specifications consulted ask for UTF-8 (Nova Biomedical's says so), and no
// UTF-16 capture was at hand to test a transcoder against, so rejecting
// clearly was preferred to decoding untested.
//
// The zero value of a Decoder is ready to use. Its limits are the fields
// MaxTag, MaxDepth and MaxMessage (0 means [DefaultMaxTag],
// [DefaultMaxDepth], [DefaultMaxMessage]); MaxMessage also caps the only
// buffer that grows, the one holding a tag. [Decoder.Flush] reports a
// message cut short at the end of a stream. Errors are [*Error] values
// carrying the stream offset.
//
// [Sniff] tells whether the first bytes of a stream look like POCT1-A,
// UTF-16 documents included.
//
// Not covered yet: the XML-over-HTTP and serial variants, list messages
// (OPL, PTL) beyond their notes, and character data of other elements. The
// tests use messages written from the specifications and loopback
// exchanges, not captures of real devices.
//
// Decoding allocates nothing once the decoder's tag buffer has grown to its
// limit, except to return errors; [Sniff] never allocates.
package poct1a
