package intellivue

import (
	"fmt"
	"testing"
)

func TestCodeStrings(t *testing.T) {
	for _, tt := range []struct {
		v    fmt.Stringer
		want string
	}{
		{SPDUConnect, "CN"},
		{SPDU(0x1F), "SPDU(0x1f)"},
		{ROLinkedResult, "ROLRS"},
		{ROType(4), "ROType(4)"},
		{CmdConfirmedAction, "CMD_CONFIRMED_ACTION"},
		{Command(2), "Command(2)"},
		{LinkedMore, "RORLS_NOT_FIRST_NOT_LAST"},
		{LinkedState(0), "LinkedState(0)"},
		{ROErrNoSuchAction, "NO_SUCH_ACTION"},
		{ErrorValue(99), "ErrorValue(99)"},
		{NotiMDSCreate, "NOM_NOTI_MDS_CREAT"},
		{EventType(0x0D1E), "EventType(0x0d1e)"},
		{ActPollMDIBDataExt, "NOM_ACT_POLL_MDIB_DATA_EXT"},
		{ActionType(0x9916), "ActionType(0x9916)"},
		{MOCNumeric, "NOM_MOC_VMO_METRIC_NU"},
		{ObjectClass(0x99), "ObjectClass(0x0099)"},
		{AttrNumericCompound, "NOM_ATTR_NU_CMPD_VAL_OBS"},
		{AttrID(0xF239), "AttrID(0xf239)"},
		{SpecSWRevision, "SW_REVISION"},
		{AlertHighPhysio, "HI_PRI_P_AL"},
		{AlertType(8), "AlertType(0x0008)"},
		{AlertLatched | AlertNew, "AL_LATCHED+AL_NEW_ALERT"},
		{AlertNew | 1, "AL_NEW_ALERT+0x1"},
		{AlertState(0), "0x0"},
		{AlarmInfoString, "STR_ALMON_INFO"},
		{MsmtInvalid | MsmtUnavailable, "INVALID+UNAVAILABLE"},
		{ModSetDefault, "SET_TO_DEFAULT"},
		{SexFemale, "FEMALE"},
		{PatientNeonatal, "NEONATAL"},
		{PatientPreAdmitted, "PRE_ADMITTED"},
		{PatientState(3), "PatientState(3)"},
		{ProtocolMDDLVersion1, "MDDL_VERSION1"},
		{NomenclatureVersion1, "NOMEN_VERSION"},
		{SystemServer, "SYST_SERVER"},
		{SystemType(0x00000100), "0x100"},
		{StartupCold, "COLD_START"},
		{PollOptDynCreate | PollOptDynDelete, "P_OPT_DYN_CREATE_OBJECTS+P_OPT_DYN_DELETE_OBJECTS"},
		{PollExtNu1s | PollExtRTSA | PollExtEnum, "POLL_EXT_PERIOD_NU_1SEC+POLL_EXT_PERIOD_RTSA+POLL_EXT_ENUM"},
		{PhysioID(0x4182), "NOM_ECG_CARD_BEAT_RATE"},
		{PhysioID(0x1234), "PhysioID(0x1234)"},
		{UnitCode(0x0AA0), "NOM_DIM_BEAT_PER_MIN"},
		{UnitCode(0), "NOM_DIM_NOS"},
		{UnitCode(0xFFFF), "UnitCode(0xffff)"},
		{KindAssocResponse, "associate-ac"},
		{Kind(0), "Kind(0)"},
		{Kind(9), "Kind(9)"},
		{SpecialNone, "none"},
		{SpecialNRes, "NRes"},
		{Special(7), "Special(7)"},
	} {
		if got := tt.v.String(); got != tt.want {
			t.Errorf("%T(%d).String() = %q, want %q", tt.v, tt.v, got, tt.want)
		}
	}
}

// TestCodeNames checks the texts that events carry.
func TestCodeNames(t *testing.T) {
	for _, tt := range []struct {
		got, want string
	}{
		{MOCNumeric.Name(), "numerics"},
		{MOCWave.Name(), "waves"},
		{MOCAlarm.Name(), "alarms"},
		{MOCDemog.Name(), "patient"},
		{MOCMDS.Name(), "mds"},
		{MOCMDSSingleBed.Name(), ""},
		{ObjectClass(0x99).Name(), ""},
		{PatientEmpty.Name(), "empty"},
		{PatientPreAdmitted.Name(), "pre-admitted"},
		{PatientAdmitted.Name(), "admitted"},
		{PatientDischarged.Name(), "discharged"},
		{PatientState(3).Name(), ""},
		{SystemClient.Name(), "client"},
		{SystemServer.Name(), "server"},
		{(SystemClient | SystemServer).Name(), ""},
		{StartupHot.Name(), "hot"},
		{StartupWarm.Name(), "warm"},
		{StartupCold.Name(), "cold"},
		{StartupMode(0).Name(), ""},
		{KindConnectIndication.String(), "connect-indication"},
		{KindAssocRequest.String(), "associate-rq"},
		{KindAssocResponse.String(), "associate-ac"},
		{KindRefuse.String(), "associate-rj"},
		{KindReleaseRequest.String(), "release-rq"},
		{KindReleaseResponse.String(), "release-rp"},
		{KindAbort.String(), "abort"},
		{KindDataExport.String(), "data-export"},
	} {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
	if !AlertHighTech.High() || !AlertHighPhysio.High() || AlertMedPhysio.High() {
		t.Error("AlertType.High")
	}
}
