// BuildArea: staging directory + rename, so a killed build never leaves a half-written result
// under the name a later run reads.
#include "objbuild.h"

#include "klp/error.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <sys/file.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace klp {

BuildArea::BuildArea(const std::string &FinalArg) {
  Final = fs::absolute(FinalArg).lexically_normal().string();
  while (Final.size() > 1 && Final.ends_with("/"))
    Final.pop_back();
  fs::path Parent = fs::path(Final).parent_path();
  std::error_code EC;
  fs::create_directories(Parent, EC);
  if (EC)
    throw Error("cannot create the build directory " + Parent.string() + ": " + EC.message());
  std::string Lock = Final + ".lock";
  LockFd = open(Lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (LockFd < 0)
    throw Error("cannot create the lock file " + Lock + ": " + strerror(errno));
  while (flock(LockFd, LOCK_EX) != 0) {
    if (errno != EINTR) {
      int E = errno;
      close(LockFd);
      throw Error("cannot lock " + Lock + ": " + strerror(E));
    }
  }
  // Leftovers of killed runs (staging, or a previous area being replaced).
  std::string Name = fs::path(Final).filename().string();
  for (const fs::directory_entry &E : fs::directory_iterator(Parent, EC)) {
    std::string N = E.path().filename().string();
    if (N.starts_with(Name + ".tmp-") || N.starts_with(Name + ".old-"))
      fs::remove_all(E.path(), EC);
  }
  Staging = Final + ".tmp-XXXXXX";
  if (!mkdtemp(Staging.data())) {
    int E = errno;
    close(LockFd);
    throw Error("cannot create a staging directory next to " + Final + ": " + strerror(E));
  }
}

BuildArea::~BuildArea() {
  std::error_code EC;
  if (!Published)
    fs::remove_all(Staging, EC);
  if (LockFd >= 0)
    close(LockFd); // releases the lock
}

std::string BuildArea::finalPath(const std::string &StagingPath) const {
  if (StagingPath.starts_with(Staging + "/"))
    return Final + StagingPath.substr(Staging.size());
  return StagingPath;
}

void BuildArea::publish() {
  std::string Old =
      Final + ".old-" +
      fs::path(Staging).filename().string().substr(fs::path(Final).filename().string().size() + 5);
  std::error_code EC;
  bool HadOld = fs::exists(Final, EC);
  if (HadOld && rename(Final.c_str(), Old.c_str()) != 0)
    throw Error("cannot move the previous build " + Final + " aside: " + strerror(errno));
  if (rename(Staging.c_str(), Final.c_str()) != 0)
    throw Error("cannot move the build " + Staging + " to " + Final + ": " + strerror(errno));
  Published = true;
  if (HadOld)
    fs::remove_all(Old, EC);
}

} // namespace klp
