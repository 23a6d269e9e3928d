package ntlmssp

// The table of Windows builds behind [Version.Name]. Windows puts the
// version GetVersionEx reports into the NTLM VERSION structure (MS-NLMP
// 2.2.2.10), so the build number says which release a host runs. Each
// entry names its public source, one of:
//
//	osver   Microsoft, "Operating System Version" (major and minor version of each release):
//	        https://learn.microsoft.com/en-us/windows/win32/sysinfo/operating-system-version
//	win10   Microsoft, "Windows 10 release information" (version, OS build, LTSB/LTSC editions):
//	        https://learn.microsoft.com/en-us/windows/release-health/release-information
//	win11   Microsoft, "Windows 11 release information":
//	        https://learn.microsoft.com/en-us/windows/release-health/windows11-release-information
//	server  Microsoft, "Windows Server release information":
//	        https://learn.microsoft.com/en-us/windows/release-health/windows-server-release-info
//	kb6003  Microsoft, KB4493471 (March 2019): the build number of Windows Server 2008 SP2 becomes 6003:
//	        https://support.microsoft.com/help/4493471
//	list    "List of Microsoft Windows versions" (release build numbers before Windows 10):
//	        https://en.wikipedia.org/wiki/List_of_Microsoft_Windows_versions
//	samba   Samba, auth/ntlmssp/ntlmssp_server.c and ntlmssp_client.c: Samba sends the fixed
//	        version 6.1, build 0, revision 15 ("What Windows returns") as client and server:
//	        https://gitlab.com/samba-team/samba
type build struct {
	major, minor uint8
	build        uint16
	name         string
	source       string
}

var builds = [...]build{
	{5, 0, 2195, "Windows 2000", "list"},
	{5, 1, 2600, "Windows XP", "list"},
	{5, 2, 3790, "Windows XP x64 / Server 2003", "list"},
	{6, 0, 6000, "Windows Vista", "list"},
	{6, 0, 6001, "Windows Vista SP1 / Server 2008", "list"},
	{6, 0, 6002, "Windows Vista SP2 / Server 2008 SP2", "list"},
	{6, 0, 6003, "Windows Server 2008 SP2", "kb6003"},
	{6, 1, 0, "Samba", "samba"},
	{6, 1, 7600, "Windows 7 / Server 2008 R2", "list"},
	{6, 1, 7601, "Windows 7 SP1 / Server 2008 R2", "list"},
	{6, 2, 9200, "Windows 8 / Server 2012", "list"},
	{6, 3, 9600, "Windows 8.1 / Server 2012 R2", "list"},
	{10, 0, 10240, "Windows 10 1507 / LTSB 2015", "win10"},
	{10, 0, 10586, "Windows 10 1511", "win10"},
	{10, 0, 14393, "Windows 10 1607 / LTSB 2016 / Server 2016", "win10"},
	{10, 0, 15063, "Windows 10 1703", "win10"},
	{10, 0, 16299, "Windows 10 1709 / Server 1709", "win10"},
	{10, 0, 17134, "Windows 10 1803 / Server 1803", "win10"},
	{10, 0, 17763, "Windows 10 1809 / LTSC 2019 / Server 2019", "win10"},
	{10, 0, 18362, "Windows 10 1903 / Server 1903", "win10"},
	{10, 0, 18363, "Windows 10 1909 / Server 1909", "win10"},
	{10, 0, 19041, "Windows 10 2004 / Server 2004", "win10"},
	{10, 0, 19042, "Windows 10 20H2 / Server 20H2", "win10"},
	{10, 0, 19043, "Windows 10 21H1", "win10"},
	{10, 0, 19044, "Windows 10 21H2 / LTSC 2021", "win10"},
	{10, 0, 19045, "Windows 10 22H2", "win10"},
	{10, 0, 20348, "Windows Server 2022", "server"},
	{10, 0, 22000, "Windows 11 21H2", "win11"},
	{10, 0, 22621, "Windows 11 22H2", "win11"},
	{10, 0, 22631, "Windows 11 23H2", "win11"},
	{10, 0, 25398, "Windows Server 23H2", "server"},
	{10, 0, 26100, "Windows 11 24H2 / LTSC 2024 / Server 2025", "win11"},
	{10, 0, 26200, "Windows 11 25H2", "win11"},
}

// families name a major and minor version whose build is not in builds
// (source: osver).
var families = [...]build{
	{5, 0, 0, "Windows 2000", "osver"},
	{5, 1, 0, "Windows XP", "osver"},
	{5, 2, 0, "Windows XP x64 / Server 2003", "osver"},
	{6, 0, 0, "Windows Vista / Server 2008", "osver"},
	{6, 1, 0, "Windows 7 / Server 2008 R2", "osver"},
	{6, 2, 0, "Windows 8 / Server 2012", "osver"},
	{6, 3, 0, "Windows 8.1 / Server 2012 R2", "osver"},
	{10, 0, 0, "Windows 10 / 11 / Server 2016 or later", "osver"},
}
