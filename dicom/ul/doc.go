// Package ul decodes the DICOM Upper Layer protocol (PS3.8) passively, from
// the two byte streams of a TCP connection as a capture sees them, and the
// DIMSE messages (PS3.7) it carries.
//
// Two levels:
//
//   - [Decoder] decodes one direction: it is fed chunks of any size with
//     [Decoder.Feed] and yields [Item]s from [Decoder.Next] until
//     [ErrNeedMore]: whole PDUs (A-ASSOCIATE-RQ/AC/RJ, A-RELEASE-RQ/RP,
//     A-ABORT) and, for P-DATA-TF, the PDV pieces as views of the fed
//     bytes, never buffered. [Associate.Parse], [ParseReject] and
//     [ParseAbort] decode PDU bodies with every item and sub-item
//     (presentation contexts, maximum length, implementation class UID and
//     version name, asynchronous operations window, role selection, SOP
//     class extended and common extended negotiation, user identity); items
//     this package does not know are kept as raw views. After an error the
//     decoder skips a PDU whose length it can trust whole, and otherwise
//     resynchronises on the next plausible PDU header, never inside a PDU
//     it skips; an Association allows only the PDU types that fit the
//     state of the association and the direction there.
//   - [Association] follows both directions of one connection: AE titles
//     and negotiated presentation contexts, PDV reassembly into DIMSE
//     messages, the command set decoded ([Message]: command, message IDs,
//     SOP class and instance, priority, status, move destination and
//     originator, sub-operation counts) and the start of each dataset parsed
//     for its header elements with package dicom (query level and keys of
//     C-FIND, C-GET and C-MOVE identifiers; the stored object's SOP class and
//     instance, modality, study and series, patient ID and name presence,
//     and a Part 10 preamble sent inside a C-STORE).
//
// Both follow one contract: the zero value is ready; Feed hands over bytes,
// Next returns items or events until [ErrNeedMore]; Gap reports lost bytes,
// Flush the end of a stream, Reset prepares for a new one and Buffered
// tells the memory held. [Sniff] tells from the first bytes of a
// connection whether it carries DICOM; the Append functions
// ([AppendAssociate], [AppendPData], [AppendMessagePart], ...) build PDUs.
//
// Every wire code is a named type with a String method: [Type],
// [ItemType], [ContextResult], [IdentityType], [RoleSupport], [Control],
// [RejectResult], [RejectSource], [RejectReason], [AbortSource],
// [AbortReason], [Command], [Priority] and [Status].
//
// Memory is bounded by limits with safe defaults: the PDU length
// (MaxPDULength, 16 MiB), the PDUs other than P-DATA-TF, which are buffered
// whole (MaxAssociateLength, 256 KiB), a command set
// (Association.MaxCommandLength, 64 KiB) and the start of a dataset kept
// for its header (Association.MaxDatasetHeader, 64 KiB); pixel data is
// counted and skipped, never copied. No allocation is sized from a length
// read off the wire.
//
// Malformed input is reported as an [*Error] carrying the byte offset and
// wrapping a sentinel such as [ErrPDULength].
//
// Allocation: once its buffers have grown, following an association (PDUs,
// command sets, dataset headers) allocates nothing; errors are allocated
// when reported. Sniff never allocates.
//
// Values returned by Next are views valid until the next call to Next or
// Feed; a caller that keeps one copies it.
package ul
