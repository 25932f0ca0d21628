#pragma once
#include "runtime/gen_server.h"
#include <functional>
#include <memory>
#include <string>

namespace canopy::supervision {

/// Internal: wraps a GenServer so it registers itself under {registry, key} before its init runs
/// (`{:via, Registry, {R, key}}`); every callback is delegated to the wrapped server.
class ViaServer : public GenServer {
public:
    ViaServer(std::string registry, std::string key, std::unique_ptr<GenServer> inner)
        : m_registry(std::move(registry)), m_key(std::move(key)), m_inner(std::move(inner)) {}
    InitResult init(Context& ctx) override;
    ServerResult handleCall(Context& ctx, Message& request, const From& from) override {
        return m_inner->handleCall(ctx, request, from);
    }
    ServerResult handleCast(Context& ctx, Message& request) override { return m_inner->handleCast(ctx, request); }
    ServerResult handleInfo(Context& ctx, Message& msg) override { return m_inner->handleInfo(ctx, msg); }
    ServerResult handleContinue(Context& ctx, Message& c) override { return m_inner->handleContinue(ctx, c); }
    void terminate(Context& ctx, const ExitReason& reason) override { m_inner->terminate(ctx, reason); }
    std::string initialCall() const override { return m_inner->initialCall(); }

private:
    std::string m_registry;
    std::string m_key;
    std::unique_ptr<GenServer> m_inner;
};

} // namespace canopy::supervision
