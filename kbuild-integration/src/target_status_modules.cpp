// May modules be loaded, and unsigned ones (kernel/module/signing.c: module_sig_check)?
#include "klp/error.h"
#include "target_status_impl.h"
#include <sstream>

namespace klp::status_detail {

std::optional<std::string> activeLockdown(const std::string &Text) {
  std::istringstream In(Text);
  for (std::string Word; In >> Word;)
    if (Word.size() > 2 && Word.front() == '[' && Word.back() == ']')
      return Word.substr(1, Word.size() - 2);
  return std::nullopt;
}

ModuleLoading readModuleLoading(const RootFs &Fs, const KernelConfigFacts &Config) {
  ModuleLoading M;
  const std::string DisabledFile = "/proc/sys/kernel/modules_disabled";
  if (std::optional<std::string> Text = Fs.read(DisabledFile)) {
    std::optional<uint64_t> V = parseUnsigned(*Text);
    if (!V || *V > 1)
      throw Error(Fs.path(DisabledFile) + ": expected 0 or 1, got '" + trim(*Text) + "'");
    M.ModulesDisabled = static_cast<int>(*V);
  }
  if (std::optional<std::string> Text = Fs.read("/sys/kernel/security/lockdown"))
    M.Lockdown = activeLockdown(*Text);
  M.SigEnforce = parseFlag(Fs.read("/sys/module/module/parameters/sig_enforce"));

  if (!M.ModulesDisabled)
    M.Reasons.push_back(DisabledFile + " does not exist: the kernel has no module support");
  else if (*M.ModulesDisabled != 0)
    M.Reasons.push_back("modules_disabled is 1: no module can be loaded until reboot");
  M.CanLoad = M.ModulesDisabled == 0;

  // is_module_sig_enforced() (sig_enforce, initialised from CONFIG_MODULE_SIG_FORCE) refuses
  // first; otherwise security_locked_down(LOCKDOWN_MODULE_SIGNATURE), an integrity reason.
  bool Refused = false;
  if (Config.ModuleSigForce == "y") {
    M.Reasons.push_back("CONFIG_MODULE_SIG_FORCE=y in " + Config.Source +
                        ": unsigned modules are refused");
    Refused = true;
  }
  if (M.SigEnforce == true) {
    M.Reasons.push_back("sig_enforce is Y: unsigned modules are refused");
    Refused = true;
  }
  if (M.Lockdown == "integrity" || M.Lockdown == "confidentiality") {
    M.Reasons.push_back("lockdown is " + *M.Lockdown + ": unsigned modules are refused");
    Refused = true;
  }
  if (Refused)
    M.Unsigned = UnsignedModules::Refused;
  else if (Config.ModuleSig == "y" || M.SigEnforce)
    M.Unsigned = UnsignedModules::Taint;
  else
    M.Unsigned = UnsignedModules::Allowed;
  return M;
}

} // namespace klp::status_detail
