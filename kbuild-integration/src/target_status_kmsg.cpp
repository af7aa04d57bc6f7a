// The kernel log lines that explain the taint: /dev/kmsg records (Documentation/ABI/testing/
// dev-kmsg), matched against the exact strings 6.1 prints (kernel/module/main.c, signing.c,
// kernel/livepatch/, kernel/panic.c, security/lockdown/lockdown.c).
#include "split_fields.h"
#include "target_status_impl.h"
#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace klp::status_detail {

namespace {

bool contains(const std::string &Text, const char *Part) {
  return Text.find(Part) != std::string::npos;
}

} // namespace

std::optional<KernelLogLine> parseKmsgRecord(const std::string &Record) {
  size_t Semi = Record.find(';');
  if (Record.empty() || Record[0] == ' ' || Semi == std::string::npos)
    return std::nullopt;
  std::string Header = Record.substr(0, Semi);
  std::vector<std::string> Fields = splitFields(Header, ',');
  if (Fields.size() < 3)
    return std::nullopt;
  std::optional<uint64_t> Pri = parseUnsigned(Fields[0]), Seq = parseUnsigned(Fields[1]),
                          Usec = parseUnsigned(Fields[2]);
  if (!Pri || !Seq || !Usec)
    return std::nullopt;
  KernelLogLine L;
  L.Level = static_cast<int>(*Pri & 7);
  L.Seq = *Seq;
  L.Usec = *Usec;
  size_t End = Record.find('\n', Semi + 1);
  L.Text = Record.substr(Semi + 1, End == std::string::npos ? End : End - Semi - 1);
  return L;
}

bool classifyKmsgText(const std::string &T, std::optional<char> &Flag) {
  enum Where { Anywhere, AtStart };
  struct Pattern {
    Where At;
    const char *Text;
    char Letter; // 0: kept without a flag
    const char *AlsoContains = nullptr;
  };
  static const Pattern Patterns[] = {
      {Anywhere,
       "module verification failed: signature and/or required key missing - "
       "tainting kernel",
       'E'},
      {Anywhere, "tainting kernel with TAINT_LIVEPATCH", 'K'},
      {Anywhere, "loading out-of-tree module taints kernel.", 'O'},
      {Anywhere, "loading test module taints kernel.", 'N'},
      {Anywhere, "module license", 'P', "taints kernel."},
      {Anywhere, "inheriting taint.", 'P'},
      {Anywhere, "module is from the staging directory", 'C'},
      {Anywhere, ": kernel tainted.", 'F'},
      {AtStart, "WARNING: CPU: ", 'W'},
      {Anywhere, "Disabling lock debugging due to kernel taint", 0},
      {AtStart, "livepatch: ", 0},
      {AtStart, "Lockdown: ", 0},
      {Anywhere, "Kernel is locked down from", 0},
      {AtStart, "Loading of ", 0, " is rejected"},
  };
  Flag.reset();
  for (const Pattern &P : Patterns) {
    bool Match = P.At == AtStart ? T.starts_with(P.Text) : contains(T, P.Text);
    if (!Match || (P.AlsoContains && !contains(T, P.AlsoContains)))
      continue;
    if (P.Letter)
      Flag = P.Letter;
    return true;
  }
  return false;
}

std::vector<KernelLogLine> readKernelLog(const RootFs &Fs, bool &Readable) {
  std::vector<KernelLogLine> Lines;
  auto Keep = [&Lines](const std::string &Record) {
    std::optional<KernelLogLine> L = parseKmsgRecord(Record);
    if (!L)
      return;
    if (classifyKmsgText(L->Text, L->Flag))
      Lines.push_back(std::move(*L));
  };
  Readable = false;
  std::string Path = Fs.path("/dev/kmsg");
  struct stat St;
  if (stat(Path.c_str(), &St) != 0)
    return Lines;
  if (!S_ISCHR(St.st_mode)) {
    std::optional<std::string> Text = Fs.read("/dev/kmsg");
    if (!Text)
      return Lines;
    Readable = true;
    for (size_t Pos = 0; Pos < Text->size();) {
      size_t End = Text->find('\n', Pos);
      if (End == std::string::npos)
        End = Text->size();
      Keep(Text->substr(Pos, End - Pos));
      Pos = End + 1;
    }
    return Lines;
  }
  // The device returns one record per read() from the oldest one kept; EAGAIN at the end,
  // EPIPE when the next record was overwritten meanwhile.
  int Fd = open(Path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (Fd < 0)
    return Lines;
  Readable = true;
  char Buf[8192];
  for (;;) {
    ssize_t N = read(Fd, Buf, sizeof(Buf));
    if (N > 0) {
      Keep(std::string(Buf, static_cast<size_t>(N)));
      continue;
    }
    if (N < 0 && (errno == EPIPE || errno == EINTR))
      continue;
    break;
  }
  close(Fd);
  return Lines;
}

} // namespace klp::status_detail
