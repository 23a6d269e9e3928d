// Package intellivue decodes the Philips IntelliVue Data Export protocol that
// IntelliVue patient monitors (MP/MX series) speak over UDP on their LAN
// interface, as described in Philips' public "Data Export Interface
// Programming Guide".
//
// Every UDP datagram carries one message. [Parse] reads its headers into a
// [Message] whose bodies are views into the datagram; typed accessors decode
// what a passive observer needs:
//
//   - the connect indication a monitor broadcasts on UDP port 24005
//     ([Message.Attributes], with the monitor's model, system ID and
//     network address);
//   - association control on port 24105: association request and response,
//     refuse, release request and response, abort ([Kind]); the MDSE user
//     information of requests and responses ([Message.UserInfo]: protocol
//     and nomenclature versions, system type, startup mode, option list and
//     the poll profile with its extended options);
//   - data export messages (SPpdu session 0xE100 with a remote operation):
//     invoke, result, linked result and error ([Message.RO]), with the
//     command and its event or action type;
//   - the MDS create event that opens a session ([Message.Attributes]; see
//     [Identity] for the manufacturer, model, system ID, serial number and
//     software revision, the evidence for device fingerprints);
//   - single and extended poll requests ([Message.PollRequest]) and their
//     results, single or linked ([Message.PollReply]), with an iterator
//     over the observations and their attributes, numerics single or
//     compound ([Attr.Numerics]) with the FLOATType special values
//     ([FloatSpecial]) and names for common physiological IDs and units
//     ([PhysioName], [PhysioLabel], [UnitName]), alarm list entries
//     ([Attr.Alarms]: source, code, type, state, the alarm string) and the
//     alert condition ([Attr.AlertCondition]), patient demographics
//     ([Observation.Demographics], protected health information), and
//     sample arrays ([Attr.Waves]) with their layout ([ParseSampleSpec])
//     and scale ([ParseScaleRange]);
//   - GET and SET: the attribute IDs a GET asks for ([Message.GetRequest]),
//     the modifications a SET makes ([Message.SetRequest]) and the
//     attributes their results return ([Message.ResultAttributes]);
//   - remote operation errors (error value).
//
// Not covered: the presentation layer of association messages beyond
// locating the user information, event reports other than the MDS create
// and connect indication, and enumerated values (NOM_ATTR_VAL_ENUM_OBS).
//
// Parsing allocates nothing; all lengths are checked against the datagram.
package intellivue
