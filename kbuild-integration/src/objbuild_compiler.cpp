// Is the object from the kernel's own compiler? gcc writes "GCC: (PKGVERSION) VERSION" into
// .comment; Kconfig records the first line of `$(CC) --version`, "PROGNAME (PKGVERSION)
// VERSION", as CONFIG_CC_VERSION_TEXT. Clang writes its --version line as is.
#include "klp/object_build.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <unistd.h>

namespace klp {

namespace {

bool matches(const std::string &Comment, const std::string &CcVersionText) {
  if (Comment == CcVersionText)
    return true;
  size_t Paren = CcVersionText.find(" (");
  return Comment.starts_with("GCC: ") && Paren != std::string::npos &&
         Comment.substr(5) == CcVersionText.substr(Paren + 1);
}

bool isCompilerEntry(const std::string &Comment) {
  return Comment.starts_with("GCC: ") || Comment.find("clang version") != std::string::npos;
}

std::string quoted(const std::vector<std::string> &Strings) {
  std::string R;
  for (const std::string &S : Strings)
    R += (R.empty() ? "\"" : ", \"") + S + "\"";
  return R;
}

} // namespace

std::optional<std::string> compilerMismatch(const std::vector<std::string> &Comments,
                                            const std::string &CcVersionText) {
  std::vector<std::string> Compilers;
  for (const std::string &C : Comments)
    if (isCompilerEntry(C))
      Compilers.push_back(C);
  if (Compilers.empty())
    return "the object names no compiler in its .comment section" +
           (Comments.empty() ? std::string() : " (it holds " + quoted(Comments) + ")") +
           "; the kernel was built with \"" + CcVersionText + "\"";
  for (const std::string &C : Compilers)
    if (!matches(C, CcVersionText))
      return "the object was compiled by \"" + C + "\" but the kernel was built with \"" +
             CcVersionText + "\" (CONFIG_CC_VERSION_TEXT)";
  return std::nullopt;
}

std::vector<std::string> objectComments(const std::string &ObjectPath) {
  if (elf_version(EV_CURRENT) == EV_NONE)
    throw Error("libelf is unusable: " + std::string(elf_errmsg(-1)));
  int Fd = open(ObjectPath.c_str(), O_RDONLY | O_CLOEXEC);
  if (Fd < 0)
    throw Error("cannot open " + ObjectPath + ": " + strerror(errno));
  Elf *E = elf_begin(Fd, ELF_C_READ, nullptr);
  size_t StrIndex = 0;
  if (!E || elf_kind(E) != ELF_K_ELF || elf_getshdrstrndx(E, &StrIndex) != 0) {
    std::string Why = elf_errmsg(-1);
    if (E)
      elf_end(E);
    close(Fd);
    throw Error(ObjectPath + " is not a readable ELF file: " + Why);
  }
  std::vector<std::string> Comments;
  for (Elf_Scn *S = elf_nextscn(E, nullptr); S; S = elf_nextscn(E, S)) {
    GElf_Shdr Sh;
    const char *Name = gelf_getshdr(S, &Sh) ? elf_strptr(E, StrIndex, Sh.sh_name) : nullptr;
    if (!Name || strcmp(Name, ".comment") != 0)
      continue;
    for (Elf_Data *D = elf_getdata(S, nullptr); D; D = elf_getdata(S, D)) {
      const char *P = static_cast<const char *>(D->d_buf);
      for (size_t I = 0; P && I < D->d_size;) {
        size_t Len = strnlen(P + I, D->d_size - I);
        if (Len)
          Comments.emplace_back(P + I, Len);
        I += Len + 1;
      }
    }
  }
  elf_end(E);
  close(Fd);
  return Comments;
}

void checkCompilerMatches(const KernelTree &Tree, const std::string &ObjectPath) {
  std::string Text = Tree.config("CONFIG_CC_VERSION_TEXT");
  if (Text.empty())
    throw Error("kernel tree " + Tree.root() +
                ": .config has no CONFIG_CC_VERSION_TEXT, so the compiler of " + ObjectPath +
                " cannot be checked against the kernel's");
  if (std::optional<std::string> Why = compilerMismatch(objectComments(ObjectPath), Text))
    throw Error(ObjectPath + ": compiler mismatch with the kernel tree " + Tree.root() + ": " +
                *Why);
}

} // namespace klp
