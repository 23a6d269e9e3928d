package poct1a

import (
	"fmt"
	"strings"
)

// Messages of a POCT1-A2 conversation between a blood gas analyser and a
// data manager, written for the tests from the structure the standard
// describes (HDR, DEV, DST, SVC/PT/OBS, EOT, ACK, DTV).

func hdr(id int) string {
	return fmt.Sprintf(`<HDR><HDR.control_id V="%d"/><HDR.version_id V="POCT1"/><HDR.creation_dttm V="2024-06-27T13:54:%02d+01:00"/></HDR>`, id, id%60)
}

func helloMsg(id int) string {
	return `<?xml version="1.0" encoding="UTF-8"?>` + "\r\n" + `<HEL.R01>` + hdr(id) +
		`<DEV><DEV.device_id V="00:11:22:33:44:55"/><DEV.vendor_id V="ACME"/><DEV.model_id V="BG-300"/>` +
		`<DEV.serial_id V="SN-0042"/><DEV.manufacturer_name V="ACME Diagnostics &amp; Co"/><DEV.hw_version V="3.1"/>` +
		`<DEV.sw_version V="4.2.7"/><DEV.device_name V="ED-BG-2"/>` +
		`<DCP><DCP.application_timeout V="30"/></DCP>` +
		`<DSC><DSC.connection_profile_cd V="SA"/><DSC.topics_supported_cd V="OBS"/><DSC.topics_supported_cd V="OPL"/></DSC>` +
		`</DEV></HEL.R01>`
}

func ackMsg(id, acked int, typ string) string {
	return `<?xml version="1.0" encoding="UTF-8"?><ACK.R01>` + hdr(id) +
		fmt.Sprintf(`<ACK><ACK.type_cd V="%s"/><ACK.ack_control_id V="%d"/></ACK></ACK.R01>`, typ, acked)
}

func statusMsg(id, pending int) string {
	return `<?xml version="1.0" encoding="UTF-8"?><DST.R01>` + hdr(id) +
		fmt.Sprintf(`<DST><DST.status_dttm V="2024-06-27T13:54:10+01:00"/><DST.new_observations_qty V="%d"/></DST></DST.R01>`, pending)
}

func obsMsg(id int) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n<OBS.R01>\n  " + hdr(id) + "\n")
	b.WriteString(`  <!-- results of one sample, a comment with <tags> and "quotes" -->` + "\n")
	b.WriteString(`  <SVC><SVC.role_cd V="OBS"/><SVC.observation_dttm V="2024-06-27T13:50:00+01:00"/>` + "\n")
	b.WriteString(`    <PT><PT.patient_id V="P-77"/>` + "\n")
	for _, o := range []struct{ id, v, u, interp string }{
		{"pH", "7.41", "", "N"}, {"pCO2", "40.2", "mm[Hg]", "N"}, {"K", "5.9", "mmol/L", "H"},
	} {
		fmt.Fprintf(&b, `      <OBS><OBS.observation_id V="%s" SN="ACME"/><OBS.value V="%s" U="%s"/><OBS.method_cd V="M"/><OBS.interpretation_cd V="%s"/></OBS>`+"\n", o.id, o.v, o.u, o.interp)
	}
	b.WriteString(`    </PT>` + "\n" + `    <OPR><OPR.operator_id V="nurse7"/></OPR>` + "\n  </SVC>\n")
	b.WriteString(`  <NTE><NTE.text V="sample &lt;arterial&gt;"/><![CDATA[free text with </OBS.R01> inside]]></NTE>` + "\n</OBS.R01>\n")
	return b.String()
}

func eotMsg(id int) string {
	return `<?xml version="1.0" encoding="UTF-8"?><EOT.R01>` + hdr(id) + `<EOT><EOT.topic_cd V="OBS"/></EOT></EOT.R01>`
}

func directiveMsg(id int, cmd string) string {
	return `<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE DTV.R02><DTV.R02>` + hdr(id) +
		fmt.Sprintf(`<DTV><DTV.command_cd V="%s"/></DTV></DTV.R02>`, cmd)
}

// deviceSide and managerSide are the two directions of the test
// conversation, in order.
func conversation() (device, manager []string) {
	device = []string{helloMsg(1), statusMsg(2, 3), obsMsg(3), eotMsg(4), ackMsg(5, 101, "AA")}
	manager = []string{ackMsg(100, 1, "AA"), ackMsg(101, 2, "AA"), ackMsg(102, 3, "AA"), ackMsg(103, 4, "AA"), directiveMsg(101, "START_CONTINUOUS")}
	return device, manager
}
