"""Present: what readers see – HTML building blocks, charts and one view module per page type
(åtgärd, målområde, samlad analys, företagsklimat, start page). Every text from data is escaped."""
