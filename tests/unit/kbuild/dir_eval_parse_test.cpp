#include "../../../kbuild-integration/src/makefile_query.h"

#include <gtest/gtest.h>

using namespace klp;

TEST(DirEvalParse, ListsCompositesAndChildEnv) {
  DirEval E = parseDirEval("fs", "klp:need-builtin=1\n"
                                 "klp:need-modorder=\n"
                                 "klp:real-obj-y=fs/open.o  fs/proc/built-in.a\n"
                                 "klp:real-obj-m=fs/ext4/modules.order\n"
                                 "klp:obj-m=fs/ext4/modules.order\n"
                                 "klp:subdir-ym=fs/ext4 fs/proc\n"
                                 "klp:multi-m:fs/x.o=fs/a.o fs/b.o\n"
                                 "klp:cflags:fs/open.o=-DOPEN\n"
                                 "klp:KBUILD_CFLAGS=-O2 -Wall\n"
                                 "unrelated line\n");
  EXPECT_TRUE(E.NeedBuiltin);
  EXPECT_FALSE(E.NeedModorder);
  EXPECT_EQ(E.RealObjY, (std::vector<std::string>{"fs/open.o", "fs/proc/built-in.a"}));
  EXPECT_EQ(E.SubdirYm, (std::vector<std::string>{"fs/ext4", "fs/proc"}));
  EXPECT_EQ(E.MultiM.at("fs/x.o"), (std::vector<std::string>{"fs/a.o", "fs/b.o"}));
  EXPECT_EQ(E.ObjCflags.at("fs/open.o"), "-DOPEN");
  DirEnv Proc = E.childEnv("fs/proc"), Ext4 = E.childEnv("fs/ext4");
  EXPECT_EQ(Proc.Cflags, "-O2 -Wall");
  EXPECT_TRUE(Proc.NeedBuiltin);
  EXPECT_FALSE(Proc.NeedModorder);
  EXPECT_FALSE(Ext4.NeedBuiltin);
  EXPECT_TRUE(Ext4.NeedModorder);
}
