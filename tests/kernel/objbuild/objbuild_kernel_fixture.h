// Shared by the changed-object build tests: the pinned tree, a scratch build directory per
// test, file and ELF section reading.
#pragma once
#include "../kbuild/kernel_tree_fixture.h"
#include "klp/object_build.h"
#include "text_edits.h"
#include "vm_process.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <gelf.h>
#include <libelf.h>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <unistd.h>

namespace klp::test {

inline std::string treeFile(const std::string &Rel) { return fileText(pinnedTree().absolute(Rel)); }

// Text with the one occurrence of From replaced (fails the test when it is not there once).
inline std::string edited(const std::string &Text, const std::string &From, const std::string &To) {
  size_t Pos = Text.find(From);
  EXPECT_NE(Pos, std::string::npos) << From;
  EXPECT_EQ(Text.find(From, Pos + 1), std::string::npos) << From;
  return Pos == std::string::npos ? Text
                                  : Text.substr(0, Pos) + To + Text.substr(Pos + From.size());
}

// A fresh directory under the build tree; the build area is created inside it.
inline std::string scratchDir(const std::string &Name) {
  std::string D = std::string(KLP_BINARY_DIR) + "/objbuild-test/" + Name;
  std::filesystem::remove_all(D);
  std::filesystem::create_directories(D);
  return D;
}

// Section name -> contents (SHT_NOBITS sections read as empty).
inline std::map<std::string, std::string> elfSections(const std::string &Path) {
  std::map<std::string, std::string> R;
  elf_version(EV_CURRENT);
  int Fd = open(Path.c_str(), O_RDONLY);
  if (Fd < 0)
    return R;
  Elf *E = elf_begin(Fd, ELF_C_READ, nullptr);
  size_t Str = 0;
  if (E && elf_getshdrstrndx(E, &Str) == 0) {
    for (Elf_Scn *S = elf_nextscn(E, nullptr); S; S = elf_nextscn(E, S)) {
      GElf_Shdr Sh;
      if (!gelf_getshdr(S, &Sh))
        continue;
      std::string &Out = R[elf_strptr(E, Str, Sh.sh_name)];
      if (Sh.sh_type == SHT_NOBITS)
        continue;
      if (Elf_Data *D = elf_getdata(S, nullptr); D && D->d_buf)
        Out.assign(static_cast<const char *>(D->d_buf), D->d_size);
    }
  }
  if (E)
    elf_end(E);
  close(Fd);
  return R;
}

} // namespace klp::test
