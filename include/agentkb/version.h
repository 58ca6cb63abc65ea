/* version: agentkb's version, for --version, reports, SARIF and hooks. */
#ifndef AKB_VERSION_H
#define AKB_VERSION_H

#define AKB_VERSION "0.1.0"

#endif
