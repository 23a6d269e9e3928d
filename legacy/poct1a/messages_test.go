package poct1a

import (
	"fmt"
	"strings"
	"testing"
)

// Complete POCT1-A2 messages beyond the basic conversation, written for the
// tests from the message structures the standard and vendor interface
// specifications describe: device capabilities (DCP, DSC), status, basic and
// complex directives, patient results with reagents and notes, QC and
// calibration results (OBS.R02 with CTC), device events (EVS.R01), requests
// and termination.
var messageTests = []struct{ name, xml string }{
	{"hello with capabilities", `<?xml version="1.0" encoding="UTF-8"?>
<HEL.R01>
  <HDR>
    <HDR.message_type V="HEL.R01" SN="POCT1" SV="1"/>
    <HDR.control_id V="7135"/>
    <HDR.version_id V="POCT1"/>
    <HDR.creation_dttm V="2010-02-22T14:06:34.00-05:00"/>
  </HDR>
  <DEV>
    <DEV.device_id V="00:06:66:00:22:A1"/>
    <DEV.vendor_id V="NOVABIO"/>
    <DEV.model_id V="StatStrip"/>
    <DEV.serial_id V="0600100736"/>
    <DEV.hw_version V="K1"/>
    <DEV.sw_version V="3.10.8.0">3.10.8.0_it-IT</DEV.sw_version>
    <DEV.device_name V="DLO-OV"/>
    <DCP>
      <DCP.application_timeout V="120"/>
    </DCP>
    <DSC>
      <DSC.connection_profile_cd V="SA"/>
      <DSC.topics_supported_cd V="D_EV" SN="POCT1" SV="1"/>
      <DSC.topics_supported_cd V="OP_LST"/>
      <DSC.topics_supported_cd V="DTV"/>
      <DSC.directives_supported_cd V="START_CONTINUOUS"/>
      <DSC.directives_supported_cd V="SET_TIME"/>
      <DSC.directives_supported_cd V="LOCK"/>
      <DSC.directives_supported_cd V="UNLOCK"/>
      <DSC.max_message_sz V="32768"/>
    </DSC>
  </DEV>
</HEL.R01>`},
	{"device status", `<DST.R01><HDR><HDR.control_id V="1019"/><HDR.version_id V="POCT1"/><HDR.creation_dttm V="2007-04-12T18:53:04.00-05:00"/></HDR>
<DST><DST.status_dttm V="2007-04-12T18:53:04.00-05:00"/><DST.new_observations_qty V="2"/><DST.new_events_qty V="1"/><DST.condition_cd V="R" SN="POCT1"/></DST></DST.R01>`},
	{"basic directive LOCK", `<DTV.R01><HDR><HDR.control_id V="4016"/><HDR.version_id V="POCT1"/></HDR><DTV><DTV.command_cd V="LOCK"/></DTV></DTV.R01>`},
	{"complex directive SET_TIME", `<DTV.R02>
  <HDR><HDR.control_id V="3"/><HDR.version_id V="POCT1"/><HDR.creation_dttm V="2017-12-07T11:48:52-00:00"/></HDR>
  <DTV><DTV.command_cd V="SET_TIME"/></DTV>
  <TM><TM.dttm V="2010-03-05T11:06:00-05:00"/></TM>
</DTV.R02>`},
	{"vendor directive with parameters", `<DTV.ACME.QC><HDR><HDR.control_id V="9"/></HDR><DTV><DTV.command_cd V="PROCESS_QC_LOTS"/><DTV.lot_count V="1"/></DTV>
<LOT><LOT.lot_number V="QC-2211"/><LOT.level_cd V="2"/><LOT.expiration_dttm V="2025-01-31"/><LOT.note>no value</LOT.note></LOT></DTV.ACME.QC>`},
	{"patient result with reagent and notes", `<OBS.R01>
  <HDR><HDR.control_id V="10003"/><HDR.version_id V="POCT1"/><HDR.creation_dttm V="2001-11-01T16:30:06-05:00"/></HDR>
  <SVC>
    <SVC.role_cd V="OBS"/>
    <SVC.observation_dttm V="2001-11-01T16:29:54-05:00"/>
    <PT>
      <PT.patient_id V="PT222-55-7777"/>
      <OBS>
        <OBS.observation_id V="2341-6" DN="Glu" SN="LN"/>
        <OBS.value V="145" U="mg/dL"/>
        <OBS.method_cd V="M"/>
        <OBS.interpretation_cd V="HH"/>
        <NTE><NTE.text V="Notified Doctor"/></NTE>
      </OBS>
      <OBS>
        <OBS.observation_id V="Flu A" SN="QUIDEL"/>
        <OBS.qualitative_value V="negative"/>
        <OBS.method_cd V="M"/>
      </OBS>
    </PT>
    <OPR><OPR.operator_id V="OP777-88-9999"/></OPR>
    <RGT>
      <RGT.name V="">TY=TS</RGT.name>
      <RGT.lot_number V="0310010249"/>
      <RGT.expiration_date V="2012-01-31T00:00:00.00-05:00"/>
    </RGT>
    <NTE><NTE.text V="New strip">TY=C^CH=1^FL=0</NTE.text></NTE>
    <NTE><NTE.text V="SAMPLE ID TYPE">MRN</NTE.text></NTE>
  </SVC>
</OBS.R01>`},
	{"liquid QC result", `<OBS.R02>
  <HDR><HDR.control_id V="18"/><HDR.version_id V="POCT1"/></HDR>
  <SVC>
    <SVC.role_cd V="LQC"/>
    <SVC.observation_dttm V="2018-05-19T07:51:22-00:00"/>
    <CTC>
      <CTC.name V="PIX201205N"/>
      <CTC.lot_number V="103533"/>
      <CTC.expiration_date V="2020-06-30"/>
      <CTC.level_cd V="2" DN="Normal"/>
      <OBS><OBS.observation_id V="pH"/><OBS.value V="7.39"/><OBS.interpretation_cd V="N"/></OBS>
      <OBS><OBS.observation_id V="pO2"/><OBS.value V="101" U="mm[Hg]"/><NTE><NTE.text V="out of range"/></NTE></OBS>
    </CTC>
    <OPR><OPR.operator_id V="Supervisor"/></OPR>
    <RGT><RGT.name V="QC fluid level 2"/><RGT.lot_number V="30437"/><RGT.expiration_date V="2025-06-21"/></RGT>
  </SVC>
</OBS.R02>`},
	{"calibration result", `<OBS.R02><HDR><HDR.control_id V="19"/></HDR><SVC><SVC.role_cd V="CAL"/><SVC.observation_dttm V="2018-05-19T08:00:00-00:00"/>
<CTC><CTC.name V="Cal B"/><CTC.lot_number V="C-77"/><OBS><OBS.observation_id V="Overall Result"/><OBS.qualitative_value V="passed"/></OBS></CTC></SVC></OBS.R02>`},
	{"device events", `<EVS.R01>
  <HDR><HDR.control_id V="30"/><HDR.version_id V="POCT1"/></HDR>
  <EVT><EVT.description V="Cleaned optics">TY=MT</EVT.description><EVT.event_dttm V="2024-06-27T08:00:00+01:00"/><EVT.severity_cd V="N"/></EVT>
  <EVT><EVT.description V="Sensor error 42">TY=SE</EVT.description><EVT.event_dttm V="2024-06-27T08:05:00+01:00"/><EVT.severity_cd V="C"/></EVT>
</EVS.R01>`},
	{"acknowledgement naming ACK.control_id", `<ACK.R01><HDR><HDR.control_id V="4011"/><HDR.version_id V="POCT1"/></HDR><ACK><ACK.type_cd V="AE"/><ACK.control_id V="1"/><ACK.note_txt V="unknown topic"/></ACK></ACK.R01>`},
	{"request observations", `<REQ.R01><HDR><HDR.control_id V="31"/></HDR><REQ><REQ.request_cd V="ROBS"/></REQ></REQ.R01>`},
	{"terminate", `<END.R01><HDR><HDR.control_id V="44"/></HDR><TRM><TRM.reason_cd V="USR"/></TRM></END.R01>`},
	{"namespaces", `<?xml version="1.0"?><p:OBS.R01 xmlns:p="urn:poct1a" xmlns="urn:poct1a"><p:HDR><p:HDR.control_id V="7"/></p:HDR>` +
		`<p:SVC><p:PT><p:PT.patient_id V="P1"/><p:OBS><p:OBS.observation_id V="K"/><p:OBS.value V="4.1" U="mmol/L"/></p:OBS></p:PT></p:SVC></p:OBS.R01>`},
	{"comments, PIs and CDATA in a note", `<OBS.R01><!-- <OBS> in a comment --><?vendor x="<NTE>"?><HDR><HDR.control_id V="8"/></HDR><SVC>` +
		`<NTE><NTE.text V="a &amp; b"/>x &lt; y<!-- hidden --><![CDATA[ <b>&amp;]]]]><![CDATA[>]]></NTE></SVC></OBS.R01>`},
	{"processing instructions with > and quotes", `<?xml version="1.0"?><?app a > b " c?><?x?><??><ACK.R01><ACK><?vendor <ACK.type_cd V="AR"/> ?><ACK.type_cd V="AA"/></ACK>` +
		`<NTE><?pi > ?>kept<?pi2?></NTE></ACK.R01>`},
	{"more topics than a list holds", `<HEL.R01><DEV><DSC>` + strings.Repeat(`<DSC.topics_supported_cd V="T"/>`, MaxList+3) + `</DSC></DEV></HEL.R01>`},
	{"long note body", `<OBS.R01><NTE>` + strings.Repeat("z", MaxText+10) + `</NTE></OBS.R01>`},
}

// TestMessages decodes each message whole and in chunks of 1, 2, 7 and 64
// bytes; the items must not depend on the chunking and must match
// testdata/messages.golden.
func TestMessages(t *testing.T) {
	var out strings.Builder
	for _, tt := range messageTests {
		whole := decodeAll(new(Decoder), []byte(tt.xml), nil)
		for _, chunks := range [][]int{{1}, {2}, {7}, {64}} {
			if got := decodeAll(new(Decoder), []byte(tt.xml), chunks); strings.Join(got, "\n") != strings.Join(whole, "\n") {
				t.Errorf("%s, chunks %v:\n%s\nwant\n%s", tt.name, chunks, strings.Join(got, "\n"), strings.Join(whole, "\n"))
			}
		}
		fmt.Fprintf(&out, "# %s\n%s\n", tt.name, strings.Join(whole, "\n"))
	}
	checkGolden(t, "messages", out.String())
}
