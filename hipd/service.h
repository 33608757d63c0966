/*
 * hipd/service.h - hipd as a service (daemon_service.c): the parts of
 * start, reload and stop that belong to running under a service
 * manager and as an unprivileged process:
 *
 *   start   hipd_service_open (NOTIFY_SOCKET, the user, the peers file:
 *           all checked before anything is set up), hipd_service_state_open
 *           (identities per the configuration), hipd_service_engine_config
 *           (preference lists), hipd_service_peers_add (peers file ->
 *           engine, also for a rebuilt engine), hipd_service_started
 *           (privilege drop, then READY=1 and the watchdog)
 *   reload  hipd_service_reload: RELOADING=1, configuration and peers
 *           file re-read (both or neither applied), READY=1
 *   stop    hipd_service_stopping (STOPPING=1), hipd_service_close
 *
 * Every function returning int gives 0 or a negative HIP_E* code with
 * one line in err.
 */
#ifndef HIPD_SERVICE_H
#define HIPD_SERVICE_H

#include <stddef.h>

struct hipd_daemon;
struct hip_engine;

int hipd_service_open(struct hipd_daemon *d, char *err, size_t errcap);
int hipd_service_state_open(struct hipd_daemon *d, char *err,
			    size_t errcap);
void hipd_service_engine_config(struct hipd_daemon *d);
int hipd_service_peers_add(struct hipd_daemon *d, struct hip_engine *e,
			   char *err, size_t errcap);
int hipd_service_started(struct hipd_daemon *d, char *err, size_t errcap);
int hipd_service_reload(struct hipd_daemon *d, char *err, size_t errcap);
void hipd_service_stopping(struct hipd_daemon *d);
void hipd_service_close(struct hipd_daemon *d);

#endif
