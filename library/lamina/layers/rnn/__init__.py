"""Recurrent layers: the RNN loop layer, its cells (SimpleRNN, LSTM, GRU,
ConvLSTM), StackedRNNCells and the Bidirectional wrapper."""
