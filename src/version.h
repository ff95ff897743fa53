/* version.h: the program version, set by the build from the VERSION file. */
#ifndef CXM_VERSION_H
#define CXM_VERSION_H

#ifndef CXM_VERSION
#define CXM_VERSION "0.0.0-dev"
#endif

#endif
