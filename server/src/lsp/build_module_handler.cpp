// workspace/executeCommand klp.buildModule: builds a livepatch module from the changes the last
// analysis saw (those klp.checkPatch reports), on the ModuleBuilder thread, with $/progress
// begin/report/end and cancellation ($/cancelRequest, window/workDoneProgress/cancel).
// Arguments: none, or one object {"output": "/abs/path.ko", "name": "livepatch_x"}.
// Result: {"ko": path, "objects": [{"object", "functions", "newFunctions"}],
//          "functions": [{"name", "file", "status"}]} (the binary findings' function list).
#include "klp/binary_findings.h"
#include "klp/error.h"
#include "klp/kernel_tree.h"
#include "klp/livepatch_build.h"
#include "lsp/command_args.h"
#include "lsp/server.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace klp::lsp {

namespace {

struct BuildArgs {
  std::string Output, Name;
};

[[noreturn]] void badArgs(const std::string &What) {
  throw RpcError{ErrorCode::InvalidParams, "klp.buildModule: " + What};
}

BuildArgs parseArgs(const Json &P, const std::string &TreeRoot) {
  BuildArgs A;
  const Json *Arg =
      optionalObjectArgument(P, "klp.buildModule", "{\"output\": path, \"name\": module name}");
  if (!Arg)
    return A;
  for (const auto &[Key, V] : Arg->items()) {
    if (Key != "output" && Key != "name")
      badArgs("unknown argument '" + Key + "' (expected \"output\" and \"name\")");
    if (!V.is_string() || V.get<std::string>().empty())
      badArgs("\"" + Key + "\" must be a non-empty string");
  }
  A.Output = Arg->value("output", "");
  A.Name = Arg->value("name", "");
  if (!A.Output.empty()) {
    std::filesystem::path Out(A.Output);
    if (!Out.is_absolute() || Out.extension() != ".ko")
      badArgs("\"output\" must be an absolute path ending in .ko, not '" + A.Output + "'");
    std::string Norm = Out.lexically_normal().string();
    if (!TreeRoot.empty() && (Norm + "/").starts_with(TreeRoot + "/"))
      badArgs("\"output\" '" + A.Output + "' is inside the kernel tree, which is never written");
  }
  for (char C : A.Name)
    if (!std::isalnum(static_cast<unsigned char>(C)) && C != '_')
      badArgs("\"name\" '" + A.Name + "' is not a module name (letters, digits, '_')");
  return A;
}

std::string cacheRoot(const std::string &CacheDir) {
  if (!CacheDir.empty())
    return CacheDir;
  const char *Home = std::getenv("HOME");
  return std::string(Home ? Home : "/tmp") + "/.cache/klp-lsp";
}

} // namespace

void Server::onBuildModule(const Json &P, ReplyPtr R) {
  std::string TreeRoot, Target;
  {
    std::lock_guard<std::mutex> L(M);
    TreeRoot = Root;
    Target = TargetKernel;
  }
  BuildArgs Args = parseArgs(P, TreeRoot);
  Json Token = startProgress(P, R, "klp-build-",
                             {{"title", "klp-lsp: building the livepatch module"},
                              {"cancellable", true},
                              {"message", "waiting for the analysis of the changes"}});
  // Ends the progress once: window/workDoneProgress/cancel already ended it (and took the token).
  auto End = [this, Token](const std::string &Message) {
    if (Token.is_null())
      return;
    std::lock_guard<std::mutex> L(M);
    if (ProgressTokens.erase(Token.dump()))
      sendNotification("$/progress",
                       {{"token", Token}, {"value", {{"kind", "end"}, {"message", Message}}}});
  };
  // Reports stop once the progress ended (a cancel from the progress notification ends it
  // while the build winds down).
  auto Note = [this, Token](const std::string &Message) {
    if (Token.is_null())
      return;
    std::lock_guard<std::mutex> L(M);
    if (ProgressTokens.count(Token.dump()))
      sendNotification("$/progress",
                       {{"token", Token}, {"value", {{"kind", "report"}, {"message", Message}}}});
  };
  whenFresh(R, "", [=, this](const workspace::AnalysisResult &Res) {
    if (R->answered())
      return End("cancelled");
    if (!Res.Error.empty()) {
      End("failed: " + Res.Error);
      return R->error(ErrorCode::RequestFailed, Res.Error);
    }
    if (Res.Changes.empty()) {
      End("nothing to build");
      return R->error(ErrorCode::RequestFailed,
                      "nothing to build: no file of the workspace differs from the baseline");
    }
    std::string CacheDir = Opts.CacheDir;
    std::vector<FileChange> Changes = Res.Changes;
    uint64_t Built = Res.Generation;
    bool Started = Builder.start(
        [=, this](const std::function<bool()> &Stopping) {
          try {
            std::unique_ptr<KernelTree> Tree = KernelTree::open(TreeRoot, CacheDir);
            LivepatchBuildOptions O;
            O.ModuleName = Args.Name.empty() ? defaultModuleName(Changes) : Args.Name;
            O.TargetRelease = Target;
            O.Cancelled = [R, Stopping] { return R->answered() || Stopping(); };
            O.Progress = Note;
            std::string Out = Args.Output.empty()
                                  ? cacheRoot(CacheDir) + "/modules/" + O.ModuleName + ".ko"
                                  : Args.Output;
            std::filesystem::create_directories(std::filesystem::path(Out).parent_path());
            LivepatchBuildResult B = buildLivepatch(*Tree, Changes, Out, O);
            Json Objects = Json::array();
            for (const PatchedObjectSpec &S : B.Spec.Objects)
              Objects.push_back({{"object", S.Object},
                                 {"functions", S.Functions},
                                 {"newFunctions", S.NewFunctions}});
            FileReader Read = [&Tree](const std::string &Rel) -> std::optional<std::string> {
              std::ifstream In(Tree->absolute(Rel), std::ios::binary);
              if (!In)
                return std::nullopt;
              return std::string(std::istreambuf_iterator<char>(In), {});
            };
            Report Joined;
            std::vector<BinaryFindings> All;
            for (const ObjectResult &OR : B.Objects) {
              All.push_back(binaryFindings(OR.Object.Source, OR.Object.Info.object(), OR.Diff,
                                           Changes, Read));
              joinBinaryFindings(Joined, All.back());
            }
            {
              // The binary findings join the diagnostics of the generation that was built.
              std::lock_guard<std::mutex> L(M);
              Binary = std::move(All);
              BinaryGeneration = Built;
              if (Latest && Latest->Generation == Built)
                publish(*Latest);
            }
            Json Functions = Json::array();
            for (const FunctionChange &F : Joined.Functions)
              Functions.push_back({{"name", F.Name}, {"file", F.File}, {"status", F.Status}});
            End("built " + B.Ko);
            R->result({{"ko", B.Ko}, {"objects", Objects}, {"functions", Functions}});
          } catch (const BuildCancelled &) {
            End("cancelled");
            R->error(ErrorCode::RequestCancelled, "klp.buildModule was cancelled");
          } catch (const std::exception &E) {
            End(std::string("failed: ") + E.what());
            R->error(ErrorCode::RequestFailed, E.what());
          }
        },
        [R] { return R->answered(); });
    if (!Started) {
      End("failed: another build is running");
      R->error(ErrorCode::RequestFailed, "klp.buildModule: a module build is already running");
    }
  });
}

} // namespace klp::lsp
