import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import { ApiTokenStore } from '../api-tokens/api-token-store';
import { eventsRoutes } from '../events/events-route';
import { softphoneRoutes } from '../softphone/softphone-routes';
import { ApiError } from './api-error';
import type { ApiModule } from './api-module';
import { apiModules as featureModules } from './api-modules';
import type { AppEnv } from './app-env';
import { forwardedClient } from './client-address';
import type { HttpConnectionLimits } from './connection-limits';
import type { AppDeps } from './deps';
import { accessLog } from './middleware/access-log';
import { allowedHostsOnly } from './middleware/allowed-hosts';
import { apiTokenAuth } from './middleware/api-token';
import { apiErrorHandler, apiNotFound } from './middleware/error-handler';
import { httpMetrics } from './middleware/http-metrics';
import { rejectNulBytes } from './middleware/reject-nul';
import { sameOriginOnly } from './middleware/same-origin';
import { sessionLoader } from './middleware/session';
import { authRoutes } from './routes/auth';
import { directoryRoutes } from './routes/directory';
import { healthRoutes } from './routes/health';
import { portalAuthRoutes } from './routes/portal-auth';
import { spaRoutes } from './spa';

export type { ApiModule } from './api-module';

export function createApp(
  deps: AppDeps,
  options: {
    webDistDir?: string | null;
    apiModules?: ApiModule[];
    connectionLimits?: HttpConnectionLimits;
  } = {},
) {
  const app = new Hono<AppEnv>();
  app.onError(apiErrorHandler(deps.logger));
  app.use('*', forwardedClient(deps.config));
  if (options.connectionLimits) app.use('*', options.connectionLimits.middleware);
  app.use('*', accessLog(deps.logger));
  app.use('*', httpMetrics(deps.metrics));
  app.route('/', healthRoutes(deps));

  const api = new Hono<AppEnv>();
  api.use(
    '*',
    allowedHostsOnly(deps.config),
    secureHeaders(),
    bodyLimit({
      maxSize: 5 * 1024 * 1024,
      onError: () => {
        throw new ApiError(413, 'payload_too_large', 'The request body is larger than 5 MB');
      },
    }),
    sameOriginOnly,
    rejectNulBytes,
    sessionLoader(deps.db, deps.sessions),
    apiTokenAuth(new ApiTokenStore(deps.db)),
  );
  api.route('/auth', authRoutes(deps));
  api.route('/portal/auth', portalAuthRoutes(deps));
  api.route('/', directoryRoutes(deps));
  api.route('/', eventsRoutes(deps));
  api.route('/', softphoneRoutes(deps));
  for (const module of options.apiModules ?? featureModules) api.route('/', module(deps));
  api.notFound(apiNotFound);
  app.route('/api', api);
  app.all('/api/*', apiNotFound);

  if (options.webDistDir) app.route('/', spaRoutes(options.webDistDir, deps.config));
  return app;
}
