#include "protocol/terminal_modes.h"

#include <unistd.h>  // _POSIX_VDISABLE only

#include <array>
#include <cstdint>

namespace burrow::protocol {

namespace {

/// Which termios field a flag opcode lives in.
enum class Field { iflag, lflag, oflag, cflag };

struct FlagMode {
    uint8_t opcode;
    Field field;
    tcflag_t bit;
};

struct CharMode {
    uint8_t opcode;
    size_t index;  ///< into termios::c_cc
};

// RFC 4254 §8 opcodes 1-18: special characters. VDSUSP, VSWTCH, VSTATUS and
// VFLUSH do not exist on Linux and are omitted.
constexpr std::array char_modes = {
    CharMode{1, VINTR},   CharMode{2, VQUIT},     CharMode{3, VERASE},    CharMode{4, VKILL},
    CharMode{5, VEOF},    CharMode{6, VEOL},      CharMode{7, VEOL2},     CharMode{8, VSTART},
    CharMode{9, VSTOP},   CharMode{10, VSUSP},    CharMode{12, VREPRINT}, CharMode{13, VWERASE},
    CharMode{14, VLNEXT}, CharMode{18, VDISCARD},
};

// RFC 4254 §8 opcodes 30-93 (42 IUTF8 from RFC 8160): boolean flags.
constexpr std::array flag_modes = {
    FlagMode{30, Field::iflag, IGNPAR}, FlagMode{31, Field::iflag, PARMRK},
    FlagMode{32, Field::iflag, INPCK},  FlagMode{33, Field::iflag, ISTRIP},
    FlagMode{34, Field::iflag, INLCR},  FlagMode{35, Field::iflag, IGNCR},
    FlagMode{36, Field::iflag, ICRNL},  FlagMode{37, Field::iflag, IUCLC},
    FlagMode{38, Field::iflag, IXON},   FlagMode{39, Field::iflag, IXANY},
    FlagMode{40, Field::iflag, IXOFF},  FlagMode{41, Field::iflag, IMAXBEL},
    FlagMode{42, Field::iflag, IUTF8},  FlagMode{50, Field::lflag, ISIG},
    FlagMode{51, Field::lflag, ICANON}, FlagMode{52, Field::lflag, XCASE},
    FlagMode{53, Field::lflag, ECHO},   FlagMode{54, Field::lflag, ECHOE},
    FlagMode{55, Field::lflag, ECHOK},  FlagMode{56, Field::lflag, ECHONL},
    FlagMode{57, Field::lflag, NOFLSH}, FlagMode{58, Field::lflag, TOSTOP},
    FlagMode{59, Field::lflag, IEXTEN}, FlagMode{60, Field::lflag, ECHOCTL},
    FlagMode{61, Field::lflag, ECHOKE}, FlagMode{62, Field::lflag, PENDIN},
    FlagMode{70, Field::oflag, OPOST},  FlagMode{71, Field::oflag, OLCUC},
    FlagMode{72, Field::oflag, ONLCR},  FlagMode{73, Field::oflag, OCRNL},
    FlagMode{74, Field::oflag, ONOCR},  FlagMode{75, Field::oflag, ONLRET},
    FlagMode{92, Field::cflag, PARENB}, FlagMode{93, Field::cflag, PARODD},
};

/// RFC 4254 §8: CS7 / CS8 are a character size, not a single bit.
constexpr uint8_t op_cs7 = 90;
constexpr uint8_t op_cs8 = 91;
/// RFC 4254 §8: speeds in bits per second.
constexpr uint8_t op_ispeed = 128;
constexpr uint8_t op_ospeed = 129;
/// RFC 4254 §8: a disabled control character is sent as 255.
constexpr uint32_t char_disabled = 255;

struct Speed {
    uint32_t baud;
    speed_t code;
};

constexpr std::array speeds = {
    Speed{0, B0},         Speed{50, B50},         Speed{75, B75},         Speed{110, B110},
    Speed{134, B134},     Speed{150, B150},       Speed{200, B200},       Speed{300, B300},
    Speed{600, B600},     Speed{1200, B1200},     Speed{1800, B1800},     Speed{2400, B2400},
    Speed{4800, B4800},   Speed{9600, B9600},     Speed{19200, B19200},   Speed{38400, B38400},
    Speed{57600, B57600}, Speed{115200, B115200}, Speed{230400, B230400},
};

uint32_t baud_of(speed_t code)
{
    for (const Speed& s : speeds) {
        if (s.code == code) {
            return s.baud;
        }
    }
    return 38400;
}

speed_t code_of(uint32_t baud)
{
    // The fastest listed speed not above the requested one.
    speed_t best = B0;
    for (const Speed& s : speeds) {
        if (s.baud <= baud) {
            best = s.code;
        }
    }
    return best;
}

tcflag_t& field_of(termios& t, Field field)
{
    switch (field) {
        case Field::iflag:
            return t.c_iflag;
        case Field::lflag:
            return t.c_lflag;
        case Field::oflag:
            return t.c_oflag;
        case Field::cflag:
            break;
    }
    return t.c_cflag;
}

tcflag_t field_of(const termios& t, Field field)
{
    return field_of(const_cast<termios&>(t), field);
}

}  // namespace

std::vector<TerminalMode> encode_termios(const termios& t)
{
    std::vector<TerminalMode> modes;
    for (const CharMode& c : char_modes) {
        const cc_t value = t.c_cc[c.index];
        modes.push_back({c.opcode, value == _POSIX_VDISABLE ? char_disabled : value});
    }
    for (const FlagMode& f : flag_modes) {
        modes.push_back({f.opcode, (field_of(t, f.field) & f.bit) != 0 ? 1U : 0U});
    }
    modes.push_back({op_cs7, (t.c_cflag & CSIZE) == CS7 ? 1U : 0U});
    modes.push_back({op_cs8, (t.c_cflag & CSIZE) == CS8 ? 1U : 0U});
    modes.push_back({op_ispeed, baud_of(cfgetispeed(&t))});
    modes.push_back({op_ospeed, baud_of(cfgetospeed(&t))});
    return modes;
}

void apply_terminal_modes(const std::vector<TerminalMode>& modes, termios& t)
{
    for (const TerminalMode& mode : modes) {
        for (const CharMode& c : char_modes) {
            if (c.opcode == mode.opcode) {
                t.c_cc[c.index] =
                    mode.value == char_disabled ? _POSIX_VDISABLE : static_cast<cc_t>(mode.value);
            }
        }
        for (const FlagMode& f : flag_modes) {
            if (f.opcode == mode.opcode) {
                tcflag_t& field = field_of(t, f.field);
                field = mode.value != 0 ? (field | f.bit) : (field & ~f.bit);
            }
        }
        if ((mode.opcode == op_cs7 || mode.opcode == op_cs8) && mode.value != 0) {
            t.c_cflag = (t.c_cflag & ~CSIZE) | (mode.opcode == op_cs7 ? CS7 : CS8);
        } else if (mode.opcode == op_ispeed) {
            cfsetispeed(&t, code_of(mode.value));
        } else if (mode.opcode == op_ospeed) {
            cfsetospeed(&t, code_of(mode.value));
        }
    }
}

}  // namespace burrow::protocol
