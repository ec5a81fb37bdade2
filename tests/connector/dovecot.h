// Test helper: a private Dovecot (IMAP + POP3) on 127.0.0.1 for the mail
// server connector tests. Everything lives in a temp folder: the config,
// base_dir, state_dir, log, the passwd-file with one user, and the user's
// Maildir; the ports are free ones picked at start. The system-wide Dovecot
// (if the package started one) is neither used nor disturbed.
//
// As root (CI), the mail processes run as `nobody` (Dovecot refuses mail
// access as UID 0) and delivered files are handed to that user; otherwise
// everything runs as the current user. Messages are delivered the Maildir
// way: written to tmp/, renamed into new/, with increasing time stamps in
// the names so Dovecot gives them UIDs in delivery order.
//
// The constructor throws std::runtime_error (failing the test) when Dovecot
// is missing or does not come up, with its log; the destructor stops it.
#pragma once

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "tests/connector/collect_sink.h"

extern char** environ;

namespace cxmap::test {

class Dovecot {
 public:
  static constexpr const char* kBinary = "/usr/sbin/dovecot";
  static constexpr const char* kUser = "cx";
  // Quotes, a backslash and a space: the IMAP quoting must get them right.
  static constexpr const char* kPassword = "Tr1cky \"pa\\ss\" w0rd";
  static constexpr const char* kPasswordEnv = "CXMAP_TEST_MAIL_PASSWORD";
  // A second user with an empty mailbox and a non-ASCII password, which IMAP
  // LOGIN must send as a literal.
  static constexpr const char* kUser2 = "cx-utf8";
  static constexpr const char* kPassword2 = "Kundenstimme \"\xc3\xa4\" \\ ok";
  static constexpr const char* kPassword2Env = "CXMAP_TEST_MAIL_PASSWORD_UTF8";

  // tls: also listen with implicit TLS (imaps/pop3s) and offer STARTTLS/STLS,
  // with a self-signed certificate for 127.0.0.1 (ca_file()).
  explicit Dovecot(bool tls = false) : tls_(tls) {
    namespace fs = std::filesystem;
    if (!fs::exists(kBinary) || !fs::exists("/usr/lib/dovecot/imap") || !fs::exists("/usr/lib/dovecot/pop3"))
      throw std::runtime_error(std::string(kBinary) +
                               " (with imap and pop3) is missing: install dovecot-imapd dovecot-pop3d "
                               "(scripts/setup does)");
    ::setenv(kPasswordEnv, kPassword, 1);
    ::setenv(kPassword2Env, kPassword2, 1);
    if (::geteuid() == 0) {
      const passwd* pw = ::getpwnam("nobody");
      if (!pw)
        throw std::runtime_error("running as root but there is no user 'nobody' for the mail processes");
      mail_uid_ = pw->pw_uid;
      mail_gid_ = pw->pw_gid;
    } else {
      mail_uid_ = ::getuid();
      mail_gid_ = ::getgid();
    }
    imap_port_ = free_port();
    pop3_port_ = free_port();
    if (tls_) {
      imaps_port_ = free_port();
      pop3s_port_ = free_port();
      make_certificate();
    }
    fs::permissions(dir_.path, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                   fs::perms::others_read | fs::perms::others_exec);
    for (const char* sub : {"cur", "new", "tmp"}) {
      fs::create_directories(maildir() / sub);
      fs::create_directories(dir_.path / "home" / kUser2 / "Maildir" / sub);
    }
    give_to_mail_user(dir_.path / "home");
    write_config();
    start();
  }

  ~Dovecot() { stop(); }

  Dovecot(const Dovecot&) = delete;
  Dovecot& operator=(const Dovecot&) = delete;

  int imap_port() const { return imap_port_; }
  int pop3_port() const { return pop3_port_; }
  int imaps_port() const { return imaps_port_; }
  int pop3s_port() const { return pop3s_port_; }
  std::string ca_file() const { return (dir_.path / "cert.pem").string(); }
  std::filesystem::path maildir() const { return dir_.path / "home" / kUser / "Maildir"; }
  // The on-disk folder of a mailbox: "" is INBOX, else Maildir++ ".<name>"
  // with the name in modified UTF-7, as Dovecot writes it.
  std::filesystem::path folder_dir(const std::string& disk_name) const {
    return disk_name.empty() ? maildir() : maildir() / ("." + disk_name);
  }

  // Delivers one message into a folder (created if needed); returns the path in new/.
  std::string deliver(const std::string& bytes, const std::string& disk_name = "") {
    namespace fs = std::filesystem;
    fs::path folder = folder_dir(disk_name);
    for (const char* sub : {"cur", "new", "tmp"}) fs::create_directories(folder / sub);
    const int n = ++delivered_;
    const std::string name = std::to_string(1700000000 + n) + ".M" + std::to_string(n) + "P1.cxmap-test";
    fs::path tmp = folder / "tmp" / name, final_path = folder / "new" / name;
    std::ofstream(tmp, std::ios::binary) << bytes;
    give_to_mail_user(maildir());
    fs::rename(tmp, final_path);
    return final_path.string();
  }

  // The messages now in a folder (new/ and cur/), for delete and flag checks.
  std::vector<std::string> stored(const std::string& disk_name = "") const {
    std::vector<std::string> out;
    for (const char* sub : {"new", "cur"})
      for (const auto& e : std::filesystem::directory_iterator(folder_dir(disk_name) / sub))
        out.push_back(e.path().filename().string());
    return out;
  }

  std::string log() const {
    std::ifstream in(dir_.path / "dovecot.log");
    std::stringstream ss;
    ss << in.rdbuf();
    std::ifstream err(dir_.path / "stderr.log");
    ss << err.rdbuf();
    return ss.str();
  }

 private:
  static int free_port() {
    Poco::Net::ServerSocket s(Poco::Net::SocketAddress("127.0.0.1", 0));
    int port = s.address().port();
    s.close();
    return port;
  }

  void give_to_mail_user(const std::filesystem::path& root) const {
    if (::geteuid() != 0) return;
    if (::chown(root.c_str(), mail_uid_, mail_gid_) != 0) throw std::runtime_error("chown " + root.string());
    for (const auto& e : std::filesystem::recursive_directory_iterator(root))
      if (::chown(e.path().c_str(), mail_uid_, mail_gid_) != 0)
        throw std::runtime_error("chown " + e.path().string());
  }

  void make_certificate() const {
    const std::string d = dir_.path.string();
    const std::string cmd =
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 "
        "-subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 -keyout '" +
        d + "/key.pem' -out '" + d + "/cert.pem' >'" + d + "/openssl.log' 2>&1";
    if (std::system(cmd.c_str()) != 0)
      throw std::runtime_error("cannot make a test certificate with openssl (see " + d + "/openssl.log)");
  }

  void write_config() const {
    const std::string d = dir_.path.string();
    std::ofstream users(dir_.path / "passwd");
    for (const auto& [user, password] : {std::pair{kUser, kPassword}, std::pair{kUser2, kPassword2}})
      users << user << ":{PLAIN}" << password << ":" << mail_uid_ << ":" << mail_gid_ << "::" << d << "/home/"
            << user << "::\n";
    std::ofstream conf(dir_.path / "dovecot.conf");
    conf << "instance_name = cxmap-test-" << imap_port_ << "\n"
         << "base_dir = " << d << "/run\n"
         << "state_dir = " << d << "/state\n"
         << "log_path = " << d << "/dovecot.log\n"
         << "listen = 127.0.0.1\n"
         << "protocols = imap pop3\n"
         << "disable_plaintext_auth = no\n"
         << "auth_failure_delay = 0\n"
         << "first_valid_uid = 1\n"
         << "mail_location = maildir:~/Maildir\n"
         << "passdb {\n  driver = passwd-file\n  args = " << d << "/passwd\n}\n"
         << "userdb {\n  driver = passwd-file\n  args = " << d << "/passwd\n}\n";
    if (tls_) {
      conf << "ssl = yes\nssl_cert = <" << d << "/cert.pem\nssl_key = <" << d << "/key.pem\n";
      if (std::filesystem::exists("/usr/share/dovecot/dh.pem"))
        conf << "ssl_dh = </usr/share/dovecot/dh.pem\n";
    } else {
      conf << "ssl = no\n";
    }
    // Unprivileged: every service as the current user, no chroots.
    const bool root = ::geteuid() == 0;
    const std::string no_chroot = root ? "" : "  chroot =\n";
    if (!root) {
      const passwd* me = ::getpwuid(::getuid());
      const group* gr = ::getgrgid(::getgid());
      conf << "default_internal_user = " << (me ? me->pw_name : "") << "\n"
           << "default_internal_group = " << (gr ? gr->gr_name : "") << "\n"
           << "default_login_user = " << (me ? me->pw_name : "") << "\n";
    }
    // No growing delay after the wrong-password tests (auth penalty).
    conf << "service anvil {\n"
         << no_chroot << "  unix_listener anvil-auth-penalty {\n    mode = 0\n  }\n}\n"
         << "service imap-login {\n"
         << no_chroot << "  inet_listener imap {\n    port = " << imap_port_ << "\n  }\n"
         << "  inet_listener imaps {\n    port = " << imaps_port_ << "\n"
         << (tls_ ? "    ssl = yes\n" : "") << "  }\n}\n"
         << "service pop3-login {\n"
         << no_chroot << "  inet_listener pop3 {\n    port = " << pop3_port_ << "\n  }\n"
         << "  inet_listener pop3s {\n    port = " << pop3s_port_ << "\n"
         << (tls_ ? "    ssl = yes\n" : "") << "  }\n}\n";
  }

  void start() {
    const std::string conf = (dir_.path / "dovecot.conf").string();
    const std::string err = (dir_.path / "stderr.log").string();
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, err.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    std::vector<std::string> args = {kBinary, "-F", "-c", conf};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    int rc = posix_spawn(&pid_, kBinary, &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throw std::runtime_error("cannot start " + std::string(kBinary));
    // Up when every port accepts; down (with its log) if it exits first.
    std::vector<int> ports = {imap_port_, pop3_port_};
    if (tls_) ports.insert(ports.end(), {imaps_port_, pop3s_port_});
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    for (int port : ports) {
      while (true) {
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
          pid_ = 0;
          throw std::runtime_error("dovecot exited at start:\n" + log());
        }
        try {
          Poco::Net::StreamSocket probe;
          probe.connect(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port)),
                        Poco::Timespan(1, 0));
          break;
        } catch (const Poco::Exception&) {
        }
        if (std::chrono::steady_clock::now() > deadline) {
          stop();
          throw std::runtime_error("dovecot did not listen on port " + std::to_string(port) + ":\n" + log());
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
    }
  }

  void stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    int status = 0;
    while (::waitpid(pid_, &status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() > deadline) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &status, 0);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    pid_ = 0;
  }

  TempDir dir_;  // declared first: removed after the server has stopped
  bool tls_ = false;
  uid_t mail_uid_ = 0;
  gid_t mail_gid_ = 0;
  int imap_port_ = 0, pop3_port_ = 0, imaps_port_ = 0, pop3s_port_ = 0;
  pid_t pid_ = 0;
  int delivered_ = 0;
};

}  // namespace cxmap::test
