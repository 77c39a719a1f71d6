// carbonmrv — every domain's options from key/value text, in one include.
//
// A convenience umbrella: each domain declares its own Set*Option next to its options struct
// (inventory/inventory_options.hpp, verification/verification_options.hpp,
// cleaner_production/audit_options.hpp, market/auction_options.hpp, market/order_book_options.hpp,
// batch/batch_options.hpp, policy/did_options.hpp). Include the one you use: this header pulls in every domain.
//
// Source-level API only: it may change in minor releases. Link the C API for binary stability.
#pragma once

#include "carbonmrv/batch/batch_options.hpp"
#include "carbonmrv/cleaner_production/audit_options.hpp"
#include "carbonmrv/inventory/inventory_options.hpp"
#include "carbonmrv/market/auction_options.hpp"
#include "carbonmrv/market/order_book_options.hpp"
#include "carbonmrv/policy/did_options.hpp"
#include "carbonmrv/verification/verification_options.hpp"
