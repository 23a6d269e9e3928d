// Package poct1a decodes POCT1-A2 (CLSI POCT1-A) device messages: the XML
// documents that point-of-care analysers (blood gas, glucose meters,
// coagulation, ...) exchange with a data manager over TCP.
//
// A [Decoder] is fed one direction of a stream in chunks of any size. It
// tokenizes the XML with bounded memory (a tag longer than the configured
// limit is skipped and reported, text between tags is never buffered) and
// yields, per message:
//
//   - one [Observation] per OBS element: observation ID and coding system,
//     value, unit, method, interpretation, with the service time, patient
//     and operator IDs in force;
//   - one [Message] at the end of each root element: its type (HEL.R01,
//     DST.R01, OBS.R01, OBS.R02, EOT.R01, ACK.R01, DTV.R01, DTV.R02, REQ.R01,
//     ...), header (control ID, version, creation time), device identity
//     (device ID, vendor, model, serial, manufacturer, hardware and
//     software versions, device name: the evidence for fingerprints),
//     acknowledgement (type and acknowledged control ID), topic of an EOT,
//     directive of a DTV, new observation count of a DST, and the number of
//     observations.
//
// Values are read from the V attribute of the leaf elements, as POCT1-A
// encodes them, and copied into fixed-size buffers inside the decoder so
// that they stay valid until the next call; a value that does not fit is
// truncated and the item says so. Entities (&amp; ...) are left as sent;
// [AppendUnescape] decodes them.
//
// Not covered yet: the vendor-specific contents of DTV directives and
// configuration (DCP, DSC capabilities are skipped), reagent and calibration
// (RGT, CAL) records, and the XML-over-HTTP and serial variants.
//
// Decoding allocates nothing once the decoder's tag buffer has grown to its
// limit.
package poct1a
