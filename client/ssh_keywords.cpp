// ssh_config(5) keywords of OpenSSH 9.2 (with Debian's GSSAPI ones and a few
// older names ssh still accepts) that burrow does not implement.
#include <algorithm>
#include <array>

#include "client/config_text.h"

namespace burrow::client {

namespace {

constexpr auto unimplemented_keywords = std::to_array<std::string_view>({
    "AddKeysToAgent",
    "BindAddress",
    "BindInterface",
    "CanonicalDomains",
    "CanonicalizeFallbackLocal",
    "CanonicalizeHostname",
    "CanonicalizeMaxDots",
    "CanonicalizePermittedCNAMEs",
    "CASignatureAlgorithms",
    "CertificateFile",
    "CheckHostIP",
    "ConnectionAttempts",
    "ConnectTimeout",
    "ControlMaster",
    "ControlPath",
    "ControlPersist",
    "EnableEscapeCommandline",
    "EnableSSHKeysign",
    "FingerprintHash",
    "ForwardX11",
    "ForwardX11Timeout",
    "ForwardX11Trusted",
    "GSSAPIAuthentication",
    "GSSAPIClientIdentity",
    "GSSAPIDelegateCredentials",
    "GSSAPIKeyExchange",
    "GSSAPIKexAlgorithms",
    "GSSAPIRenewalForcesRekey",
    "GSSAPIServerIdentity",
    "GSSAPITrustDNS",
    "HashKnownHosts",
    "HostbasedAcceptedAlgorithms",
    "HostbasedAcceptedKeyTypes",
    "HostbasedAuthentication",
    "HostKeyAlias",
    "IPQoS",
    "KbdInteractiveDevices",
    "KnownHostsCommand",
    "LocalCommand",
    "LogVerbose",
    "NoHostAuthenticationForLocalhost",
    "PermitLocalCommand",
    "PermitRemoteOpen",
    "PKCS11Provider",
    "ProxyCommand",
    "ProxyJump",
    "ProxyUseFdpass",
    "RemoteCommand",
    "RequiredRSASize",
    "RevokedHostKeys",
    "SecurityKeyProvider",
    "SessionType",
    "StdinNull",
    "StreamLocalBindMask",
    "StreamLocalBindUnlink",
    "SyslogFacility",
    "Tag",
    "TCPKeepAlive",
    "Tunnel",
    "TunnelDevice",
    "UpdateHostKeys",
    "VerifyHostKeyDNS",
    "VisualHostKey",
    "XAuthLocation",
});

}  // namespace

bool is_unimplemented_ssh_keyword(std::string_view keyword)
{
    return std::any_of(unimplemented_keywords.begin(), unimplemented_keywords.end(),
                       [&](std::string_view known) { return iequals(known, keyword); });
}

}  // namespace burrow::client
